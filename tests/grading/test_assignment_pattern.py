"""Every assignment follows the course's pattern (docs/trainer_guide.md): at least three
autograded parts, at least one manually graded written answer with its rubric in the task,
explicit points, and no widgets in graded work."""

from __future__ import annotations

import nbformat
import pytest
from grading_helpers import ROOT, grade_id

from ovop_course.grading.course import Course

pytestmark = pytest.mark.grading


@pytest.mark.parametrize("assignment", Course(ROOT).assignments())
def test_points_parts_and_a_written_answer(assignment):
    nb = nbformat.read(ROOT / "solutions" / assignment / f"{assignment}.ipynb", as_version=4)
    graded = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
    assert all(c.metadata["nbgrader"]["points"] > 0 for c in graded)
    auto = [c for c in graded if c.cell_type == "code"]
    written = [c for c in graded if c.cell_type == "markdown"]
    assert len({grade_id(c)[0] for c in auto}) >= 3, "at least three autograded parts"
    assert written, "at least one manually graded written answer"
    for answer in written:
        part = grade_id(answer)[0]
        tasks = [c.source for c in nb.cells if (grade_id(c) or "").startswith(f"{part}_task")]
        assert any("Критерии оценки" in task for task in tasks), f"{grade_id(answer)}: rubric"
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "ipywidgets" not in code and ".tool(" not in code  # no widgets in graded work
