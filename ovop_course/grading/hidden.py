"""Feedback that never shows a hidden test: its code, or an error that quotes it.

nbgrader's feedback page shows the graded notebook as it ran, hidden tests included (by
design): a trainee would read the right answers there, and so would the next group. The
page is made from a copy in which every test cell keeps its visible checks, its hidden block
becomes one comment line, and an error shows only its Russian message (a traceback quotes
the failing line, and a hidden test's line is the answer).
"""

from __future__ import annotations

from nbgrader.preprocessors import ClearHiddenTests, NbGraderPreprocessor
from nbgrader.utils import is_grade, is_solution

from ..i18n import t


class HideTests(NbGraderPreprocessor):
    """For the feedback page: hidden blocks out of test cells, errors as their message."""

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code" or not is_grade(cell) or is_solution(cell):
            return cell, resources
        clear = ClearHiddenTests(enforce_metadata=False)
        if clear._remove_hidden_test_region(cell):
            cell.source = cell.source.rstrip("\n") + "\n" + t("grading.hidden_tests")
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                output["traceback"] = [f"{output.get('ename', '')}: {output.get('evalue', '')}"]
        return cell, resources


def feedback_preprocessors() -> dict:
    """nbgrader's ``GenerateFeedback`` preprocessors with :class:`HideTests` after the scores
    are read (as settings)."""
    from nbgrader.converters import GenerateFeedback

    steps = list(GenerateFeedback.class_traits()["preprocessors"].default())
    return {"preprocessors": [steps[0], HideTests, *steps[1:]]}
