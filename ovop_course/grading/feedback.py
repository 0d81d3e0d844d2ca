"""Feedback for trainees: HTML pages with their graded notebook, scores and test messages.

Feedback is generated only for submissions whose grade is current (see
:func:`.autograde.current_status`); an old feedback page of a trainee whose newest work is not
graded is removed, so nobody receives feedback on work they have since replaced. Pages are
then released into the exchange, where trainees fetch them (on JupyterHub: the Assignments
tab); without an exchange they stay in ``feedback/<login>/<assignment>/`` for the trainer to
send.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field

from ..errors import OvopError
from ..i18n import t
from . import runner
from .autograde import GRADED, current_status, load_records
from .course import Course


@dataclass
class FeedbackSummary:
    """Who got feedback, whose generation failed, and whether it was released."""

    generated: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # login → what nbgrader said
    skipped: list[str] = field(default_factory=list)  # submitted but not graded now
    released: bool = False
    release_error: str | None = None


def make_feedback(course: Course, assignment: str, release: bool = True) -> FeedbackSummary:
    """Generate (and release) feedback for every trainee with a current grade."""
    summary = FeedbackSummary()
    records = load_records(course, assignment)
    for student in course.submitted_students(assignment):
        status, _ = current_status(course, assignment, student, records)
        if status != GRADED:
            shutil.rmtree(course.student_path("feedback", student, assignment),
                          ignore_errors=True)
            summary.skipped.append(student)
            continue
        outcome = runner.generate_feedback(course, assignment, student)
        if outcome.ok:
            summary.generated.append(student)
        else:
            summary.failed[student] = outcome.detail()
    if release and summary.generated:
        try:
            runner.exchange_root(course)  # no exchange: OvopError, the pages stay in feedback/
            unreleased = [s for s in summary.generated
                          if not runner.release_feedback(course, assignment, s).ok]
            summary.released = not unreleased
            if unreleased:
                summary.release_error = t("grading.feedback_unreleased",
                                          logins=", ".join(unreleased))
        except OvopError as e:
            summary.release_error = str(e)
    return summary
