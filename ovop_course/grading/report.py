"""The grades table of one assignment: every trainee, score and an honest status.

Rows: everyone in the gradebook (added with ``ovop-course trainees add``) and anyone else who
submitted, sorted by last name. Status (see :func:`.autograde.current_status`):

- «оценено» — the score is the autograded points plus the trainer's manual points;
  the «Письменные ответы» column says whether written answers still wait for the trainer,
  were left empty (0 points) or are graded;
- «не оценено: <причина>» — the score is left empty: an old gradebook score is never shown;
- «не сдано» — nothing collected.

«Подозрительно» names the tampering signs in a work (:mod:`.tamper`), for the trainer to look
at; they do not change the score.

Export: CSV (UTF-8 with BOM, so Excel shows Cyrillic), XLSX (openpyxl), and a CSV for Moodle's
grade import (:func:`write_moodle_csv`).
"""

from __future__ import annotations

import csv
from dataclasses import astuple, dataclass
from pathlib import Path

from ..errors import OvopError
from ..i18n import t
from .autograde import GRADED, NOT_SUBMITTED, current_status, load_records, require_in_gradebook
from .course import Course
from .tamper import suspicions

COLUMNS = ("login", "last_name", "first_name", "email", "status", "score", "max_score", "manual",
           "suspicious")
# How Moodle's grade import («Импорт оценок из CSV») finds a trainee: the column's title as
# Moodle's own export writes it, and the field to choose in its «Map to» list.
MOODLE_IDS = {"email": ("Email address", "useremail"), "login": ("Username", "username")}


@dataclass(frozen=True)
class GradeRow:
    """One trainee's line in the grades table."""

    login: str
    last_name: str
    first_name: str
    email: str
    status: str
    score: float | None
    max_score: float
    manual: str
    suspicious: str  # tampering signs for the trainer to look at (:mod:`.tamper`), or ""


def headers() -> list[str]:
    """Column titles in the current language."""
    return [t(f"grading.col.{c}") for c in COLUMNS]


def _status_text(status: str, reason: str | None) -> str:
    if status == GRADED:
        return t("grading.status.graded")
    if status == NOT_SUBMITTED:
        return t("grading.status.not_submitted")
    return t("grading.status.not_graded", reason=reason)


def _manual(submission) -> str:
    """The «Письменные ответы» column: «ждёт проверки тренером» while a written answer waits;
    «не написан» when one was left as released (nbgrader gives it 0 by itself and marks it
    checked, though no trainer saw it); «проверено» once the trainer has graded them."""
    if submission.needs_manual_grade:
        return t("grading.manual.waiting")
    empty = any(g.cell_type == "markdown" and g.manual_score is None
                for notebook in submission.notebooks for g in notebook.grades)
    return t("grading.manual.empty" if empty else "grading.manual.done")


def grades_table(course: Course, assignment: str) -> list[GradeRow]:
    """The grades of ``assignment`` for every trainee (see the module docstring)."""
    require_in_gradebook(course, assignment)
    records = load_records(course, assignment)
    rows = []
    with course.gradebook() as gb:
        max_score = gb.find_assignment(assignment).max_score
        people = {s.id: s for s in gb.students}
        for login in sorted(set(people) | set(course.submitted_students(assignment))):
            status, reason = current_status(course, assignment, login, records)
            score, manual = None, ""
            if status == GRADED:
                submission = gb.find_submission(assignment, login)
                score = float(submission.score)
                manual = _manual(submission)
            person = people.get(login)
            rows.append(GradeRow(
                login=login, last_name=(person and person.last_name) or "",
                first_name=(person and person.first_name) or "",
                email=(person and person.email) or "",
                status=_status_text(status, reason), score=score, max_score=float(max_score),
                manual=manual, suspicious=_suspicious(course, assignment, login),
            ))
    return sorted(rows, key=lambda r: (r.last_name, r.first_name, r.login))


def _suspicious(course: Course, assignment: str, login: str) -> str:
    """The «Подозрительно» column: the tampering signs of the submitted and graded copies."""
    paths = [p for kind in ("submitted", "autograded")
             for p in sorted(course.student_path(kind, login, assignment).glob("*.ipynb"))]
    return "; ".join(suspicions(paths))


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _texts(row: GradeRow) -> list[str]:
    """A row as texts, scores as plain numbers with a point (17.5)."""
    values = list(astuple(row))
    at = COLUMNS.index("score")
    values[at], values[at + 1] = _number(row.score), _number(row.max_score)
    return values


def _writing(path: Path):
    """Open ``path`` for writing; a locked or forbidden file becomes a Russian error."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return path.open("w", encoding="utf-8-sig", newline="")
    except OSError as e:
        raise OvopError(t("grading.cannot_write", path=path, detail=e.strerror)) from None


def write_csv(rows: list[GradeRow], path: Path) -> Path:
    """The grades table as CSV; scores as plain numbers with a point (17.5)."""
    with _writing(path) as f:
        out = csv.writer(f)
        out.writerow(headers())
        out.writerows(_texts(row) for row in rows)
    return Path(path)


@dataclass(frozen=True)
class MoodleExport:
    """What :func:`write_moodle_csv` wrote: ``path``, the logins ``written``, and the logins
    ``left_out`` with why (texts to show the trainer)."""

    path: Path
    written: list[str]
    left_out: dict[str, str]


def write_moodle_csv(rows: list[GradeRow], path: Path, assignment: str,
                     by: str = "email") -> MoodleExport:
    """The grades for Moodle's grade import: a column that finds the trainee in Moodle (``by``
    e-mail or login, :data:`MOODLE_IDS`), first and last name, and the score under the
    assignment's name, a plain number with a point (17.5); UTF-8 with BOM (Moodle removes it).

    Only trainees graded now and with the identifier are written: Moodle takes an empty score
    as «no grade» and clears the one it has (a trainee not graded yet would lose their
    grade), and a row without the identifier would give its score to the trainee of the row
    above. Who is left out, and why, is returned for the trainer to see."""
    if by not in MOODLE_IDS:
        raise OvopError(t("grading.moodle_bad_id", by=by, known=", ".join(MOODLE_IDS)))
    title, _ = MOODLE_IDS[by]
    written, left_out, lines = [], {}, []
    for row in rows:
        identifier = row.email if by == "email" else row.login
        if row.score is None:
            left_out[row.login] = row.status
        elif not identifier.strip():
            left_out[row.login] = t("grading.moodle_no_email")
        else:
            written.append(row.login)
            lines.append([identifier, row.first_name, row.last_name, _number(row.score)])
    with _writing(path) as f:
        out = csv.writer(f)
        out.writerow([title, "First name", "Last name", assignment])
        out.writerows(lines)
    return MoodleExport(Path(path), written, left_out)


def write_xlsx(rows: list[GradeRow], path: Path, title: str) -> Path:
    """The grades table as an Excel workbook: bold header, frozen first row, fitted widths."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]  # Excel's limit for sheet names
    sheet.append(headers())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(astuple(row)))
    for column in sheet.columns:
        width = max(len(str(c.value or "")) for c in column)
        sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 8), 80)
    sheet.freeze_panes = "A2"
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        book.save(path)
    except OSError as e:
        raise OvopError(t("grading.cannot_write", path=path, detail=e.strerror)) from None
    return path


def format_table(rows: list[GradeRow]) -> str:
    """The grades table as aligned text for the terminal."""
    lines = [headers()] + [_texts(r) for r in rows]
    widths = [max(len(line[i]) for line in lines) for i in range(len(COLUMNS))]
    return "\n".join("  ".join(v.ljust(w) for v, w in zip(line, widths)).rstrip()
                     for line in lines)
