"""Grading the collected submissions one trainee at a time, with an honest status.

nbgrader keeps a trainee's old score in the gradebook when a new submission cannot be
graded (a loop that swallows KeyboardInterrupt ends in "Timeout waiting for IOPub output",
the graded copy is removed, the old score stays). So here a grade is *current* only if this
tool produced it for exactly the files now in ``submitted/``:

1. before grading a trainee, the old graded copy and feedback are removed;
2. the trainee is «оценено» only if nbgrader succeeded *and* wrote the graded notebook;
3. the outcome is stored in ``ovop_grading/<assignment>.json`` with a fingerprint (SHA-256)
   of the submitted files; :func:`current_status` trusts a grade only while the fingerprint
   still matches, so a newer submission is «не оценено» until it is graded.

A submission that cannot be graded gets a reason in Russian; it never stops the others. Each
trainee is graded in a worker process (:mod:`.workers`), ``jobs`` at a time, and this process
alone writes ``ovop_grading/<assignment>.json``; a work that kills its worker is «не оценено»
and the next trainee goes to a new worker.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
import shutil
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from ..errors import OvopError
from ..i18n import t
from . import runner, workers
from .course import Course

GRADED, FAILED = "graded", "failed"
NOT_SUBMITTED, NOT_GRADED = "not_submitted", "not_graded"

# The grading log of a trainee whose worker died (:func:`_died`); English, as nbgrader's are.
WORKER_DIED = "The grading worker process ended before nbgrader finished"

# Phrases of nbgrader / nbclient errors → the catalogue key of the Russian reason.
_REASONS = [
    ((WORKER_DIED,), "grading.reason.worker_died"),
    (("Timeout waiting for IOPub output", "UnresponsiveKernelError",
      "kernel became unresponsive"), "grading.reason.unresponsive"),
    (("DeadKernelError", "Kernel died", "kernel died"), "grading.reason.kernel_died"),
    (("No notebooks were matched", "No notebooks found", "Skipping unknown notebook"),
     "grading.reason.no_notebook"),
    (("NotJSONError", "does not appear to be JSON", "Unreadable Notebook",
      "JSONDecodeError", "NBFormatError", "ValidationError"), "grading.reason.broken_file"),
]


@dataclass(frozen=True)
class GradeRecord:
    """The outcome of grading one trainee's submission (stored as JSON)."""

    student: str
    status: str  # GRADED or FAILED
    reason: str | None
    fingerprint: str
    graded_at: str
    log: str  # the grading log, relative to the course folder
    repaired: str | None = None  # what was put right in the work to grade it (Russian)


def fingerprint(folder: Path) -> str:
    """SHA-256 over the relative names and contents of every file in ``folder``."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def _records_file(course: Course, assignment: str) -> Path:
    return course.status_dir / f"{assignment}.json"


def load_records(course: Course, assignment: str) -> dict[str, GradeRecord]:
    """The stored grading outcomes of ``assignment`` by trainee (empty if none yet)."""
    path = _records_file(course, assignment)
    if not path.is_file():
        return {}
    try:
        items = json.loads(path.read_text(encoding="utf-8"))
        return {k: GradeRecord(**v) for k, v in items.items()}
    except (ValueError, TypeError):  # damaged file: nothing in it can be trusted
        return {}


def _save_record(course: Course, assignment: str, record: GradeRecord) -> None:
    """Add ``record`` to the assignment's file (written to a temporary file, then renamed)."""
    records = load_records(course, assignment)
    records[record.student] = record
    path = _records_file(course, assignment)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    data = {k: asdict(v) for k, v in sorted(records.items())}
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)


def explain(log: str, course: Course, assignment: str, log_file: str) -> str:
    """The Russian reason why nbgrader could not grade a submission, from its log."""
    for phrases, key in _REASONS:
        if any(p in log for p in phrases):
            names = ", ".join(f"{n}.ipynb" for n in course.notebooks(assignment))
            return t(key, notebooks=names, log=log_file)
    return t("grading.reason.other", log=log_file)


def _graded_copy_complete(course: Course, assignment: str, student: str) -> bool:
    """True if every submitted notebook of the assignment has a graded copy."""
    submitted = course.student_path("submitted", student, assignment)
    graded = course.student_path("autograded", student, assignment)
    names = [n for n in course.notebooks(assignment) if (submitted / f"{n}.ipynb").is_file()]
    return bool(names) and all((graded / f"{n}.ipynb").is_file() for n in names)


def grade_student(course: Course, assignment: str, student: str,
                  timeout: int | None = None, sandbox: bool = True) -> GradeRecord:
    """Autograde one trainee's collected submission: the record of the outcome, which
    :func:`grade_all` saves (this runs in a grading worker)."""
    submitted = course.student_path("submitted", student, assignment)
    submitted_print = fingerprint(submitted)
    for kind in ("autograded", "feedback"):
        shutil.rmtree(course.student_path(kind, student, assignment), ignore_errors=True)
    outcome = runner.autograde(course, assignment, student, timeout, sandbox)
    return _record(course, assignment, student, submitted_print, outcome)


def _died(course: Course, assignment: str, student: str, died: workers.Died) -> GradeRecord:
    """The record of a trainee whose grading worker ended before answering: «не оценено»
    (the work killed it, most likely: see :mod:`.workers`)."""
    submitted = course.student_path("submitted", student, assignment)
    outcome = runner.Outcome(False, f"{WORKER_DIED} ({died}).")
    return _record(course, assignment, student, fingerprint(submitted), outcome)


def _record(course: Course, assignment: str, student: str, submitted_print: str,
            outcome: runner.Outcome) -> GradeRecord:
    """Write the grading log of ``outcome`` and make the trainee's record: «оценено» only if
    nbgrader succeeded and wrote every graded notebook."""
    from .repair import repairs  # nbgrader: only when grading

    log_file = course.status_dir / "logs" / assignment / f"{student}.log"
    log_file.parent.mkdir(parents=True, exist_ok=True)
    log_file.write_text(outcome.log, encoding="utf-8")
    log_name = log_file.relative_to(course.root).as_posix()
    graded = outcome.ok and _graded_copy_complete(course, assignment, student)
    return GradeRecord(
        student=student, status=GRADED if graded else FAILED,
        reason=None if graded else explain(outcome.log, course, assignment, log_name),
        fingerprint=submitted_print, graded_at=dt.datetime.now().isoformat(timespec="seconds"),
        log=log_name, repaired=repairs(outcome.log),
    )


def require_in_gradebook(course: Course, assignment: str) -> None:
    """An OvopError unless ``assignment`` was generated into this course's gradebook."""
    from nbgrader.api import MissingEntry

    with course.gradebook() as gb:
        try:
            gb.find_assignment(assignment)
        except MissingEntry:
            raise OvopError(t("grading.not_in_gradebook", assignment=assignment)) from None


def grade_all(course: Course, assignment: str, students: list[str],
              timeout: int | None = None, jobs: int = 1, sandbox: bool = True
              ) -> list[GradeRecord]:
    """Grade the collected submissions of ``students``, ``jobs`` at a time, each in a worker
    process running :func:`grade_student`, with one progress bar; the records in the order of
    ``students``. This process alone saves them, one at a time, as they come in."""
    import nbgrader.api  # noqa: F401 (seconds to import: once, before the workers are forked)

    # A fresh Course: no cached nbgrader objects, so a spawned worker can unpickle it.
    job = functools.partial(grade_student, Course(course.root), assignment, timeout=timeout,
                            sandbox=sandbox)
    records = {}
    with _progress_bar(len(students)) as bar, workers.Workers(job, jobs) as pool:
        for student, result in pool.results(
                students, started=lambda running: bar.set_postfix_str(", ".join(running))):
            died = isinstance(result, workers.Died)
            records[student] = _died(course, assignment, student, result) if died else result
            _save_record(course, assignment, records[student])
            bar.update()
    return [records[s] for s in students]


def _progress_bar(total: int):
    """tqdm's bar on stderr, without its monitor thread (workers are forked while it shows)."""
    from tqdm import tqdm

    class Bar(tqdm):
        monitor_interval = 0

    return Bar(total=total, desc=t("grading.progress"), unit=t("grading.progress_unit"),
               file=sys.stderr)


def current_status(course: Course, assignment: str, student: str,
                   records: dict[str, GradeRecord]) -> tuple[str, str | None]:
    """(status, reason) of a trainee now: GRADED, NOT_GRADED (with reason) or NOT_SUBMITTED."""
    submitted = course.student_path("submitted", student, assignment)
    if not submitted.is_dir():
        return NOT_SUBMITTED, None
    record = records.get(student)
    if record is None or record.fingerprint != fingerprint(submitted):
        return NOT_GRADED, t("grading.reason.not_yet", assignment=assignment)
    if record.status != GRADED:
        return NOT_GRADED, record.reason
    if not _graded_copy_complete(course, assignment, student):
        return NOT_GRADED, t("grading.reason.copy_lost", assignment=assignment)
    return GRADED, None
