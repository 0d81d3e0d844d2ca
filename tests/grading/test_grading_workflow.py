"""The trainer's whole cycle, end to end, in a temporary course folder.

add trainees → release → submit (``--trainee``, one computer) → collect → grade → export →
(manual grade) → feedback → a trainee fetches it — over sample submissions made from the
released notebook: perfect, partial, empty, an endless loop, a loop that swallows
KeyboardInterrupt, a syntax error, deleted and edited read-only cells, extra cells, a pasted
copy of an answer cell, deleted answer cells, ``sys.exit()``, a huge output, a damaged file,
and a trainee who submits nothing.

The loop that swallows KeyboardInterrupt first submits a perfect notebook (graded 17), then
the bad one: nbgrader keeps the old 17 in its gradebook, the tool must report «не оценено».
Everything runs once per module (about two minutes); the tests read the results.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from html import unescape
from pathlib import Path

import nbformat
import pytest
from grading_helpers import ASSIGNMENT, Run, copy_course, enrol_and_release, export_rows, ovop
from openpyxl import load_workbook

from ovop_course.grading.course import Course

pytestmark = pytest.mark.grading

AUTOGRADED_MAX = 17  # autograded points; the written answer (3 points) is graded by hand
SWALLOW = """
while True:
    try:
        while True:
            pass
    except KeyboardInterrupt:
        pass
"""

# Trainee login → expected score, or the start of the reason it could not be graded.
EXPECTED = {
    "perfect": 17,
    "partial": 5,  # А1 (3) and Б1 (2) right; А3 and В1 wrong; В2 priced per jar; rest empty
    "empty": 0,
    "endless_loop": 14,  # В1 interrupted (2), so В3's share has no honey_kg (1)
    "swallows_interrupt": "программа не остановилась по сигналу прерывания",
    "syntax_error": 15,  # Б1 (2) does not run
    "deleted_cell": 17,  # a deleted test cell is put back and graded
    "edited_cell": 16,  # the edited test of a wrong А3 answer is restored: А3 fails
    "extra_cells": 17,
    "sys_exit": 17,
    "huge_output": 17,
    "pasted_cell": 17,
    "deleted_answers": 16,  # А3 (1) has no answer; Г (written) is put back empty
    "damaged_file": "файл тетради повреждён",
    "absent": "не сдано",
}


def grade_id(cell) -> str | None:
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def set_answer(nb, cell_id: str, source: str):
    next(c for c in nb.cells if grade_id(c) == cell_id).source = source
    return nb


def drop(nb, *cell_ids: str):
    nb.cells = [c for c in nb.cells if grade_id(c) not in cell_ids]
    return nb


def insert(nb, after: str, cell):
    index = next(i for i, c in enumerate(nb.cells) if grade_id(c) == after)
    nb.cells.insert(index + 1, cell)
    return nb


def paste(nb, cell_id: str):
    """The cell copied (Ctrl+C) and pasted (Ctrl+V) under itself, metadata and all."""
    index = next(i for i, c in enumerate(nb.cells) if grade_id(c) == cell_id)
    copy_of = copy.deepcopy(nb.cells[index])
    copy_of.id = f"{copy_of.id}-copy"
    nb.cells.insert(index + 1, copy_of)
    return nb


def make_samples(released: Path, solution: Path) -> dict[str, bytes]:
    """Every sample submission, as file contents, built from the released notebook."""
    blank = nbformat.read(released, as_version=4)
    answers = {grade_id(c): c.source for c in nbformat.read(solution, as_version=4).cells}

    def answered():
        nb = copy.deepcopy(blank)
        for cell in nb.cells:
            if cell.metadata.get("nbgrader", {}).get("solution"):
                cell.source = answers[grade_id(cell)]
        return nb

    def partial():
        nb = copy.deepcopy(blank)
        for cell_id in ("a1_answer", "b1_answer"):
            set_answer(nb, cell_id, answers[cell_id])
        set_answer(nb, "a3_answer", "model_answer = 1")
        set_answer(nb, "c1_answer", "honey_kg = 840 + 15")
        return set_answer(nb, "c2_answer", "jar_price_per_kg = 320")

    def edited():
        nb = set_answer(answered(), "a3_answer", "model_answer = 1")
        set_answer(nb, "a3_test", "print('всё верно')")
        return set_answer(nb, "intro", "# Моё задание")

    notebooks = {
        "perfect": answered(),
        "partial": partial(),
        "empty": copy.deepcopy(blank),
        "endless_loop": set_answer(answered(), "c1_answer",
                                   "while True:\n    pass\n" + answers["c1_answer"]),
        "swallows_interrupt": set_answer(answered(), "c1_answer", SWALLOW),
        "syntax_error": set_answer(answered(), "b1_answer", "order = [2, 3, 4, 1"),
        "deleted_cell": drop(answered(), "a1_test_1", "a1_task"),
        "edited_cell": edited(),
        "extra_cells": insert(insert(answered(), "setup", nbformat.v4.new_code_cell(
            "import math\nroot_two = math.sqrt(2)")), "a1_test_3",
            nbformat.v4.new_markdown_cell("Мои заметки: сначала сырьё, потом рынок.")),
        "sys_exit": insert(answered(), "a1_test_3",
                           nbformat.v4.new_code_cell("import sys\nsys.exit()")),
        "huge_output": set_answer(answered(), "c1_answer", "for i in range(200_000):\n"
                                  "    print('строка', i)\n" + answers["c1_answer"]),
        "pasted_cell": paste(answered(), "a3_answer"),
        "deleted_answers": drop(answered(), "a3_answer", "d_answer"),
    }
    files = {name: nbformat.writes(nb).encode() for name, nb in notebooks.items()}
    files["damaged_file"] = b'{"cells": [{"cell_type": "code", "source": '
    return files


@dataclass
class Workflow:
    course: Course
    home: Path
    first_collect: Run
    first_grade: Run
    first_rows: dict
    collect: Run
    grade: Run
    csv_rows: dict
    xlsx_rows: list
    stale_gradebook_score: float
    manual_rows: dict
    feedback: Run
    moodle_out: str
    moodle_rows: list[str]


@pytest.fixture(scope="module")
def workflow(jupyter_home, tmp_path_factory) -> Workflow:
    course = copy_course(tmp_path_factory.mktemp("course"))
    where = ("--course-dir", course.root)
    work = tmp_path_factory.mktemp("work")
    enrol_and_release(course, work, EXPECTED)

    released = jupyter_home / "exchange" / "ovop" / "outbound" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    samples = make_samples(released, course.source_dir / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")

    def submit(login: str, content: bytes):
        path = work / login / f"{ASSIGNMENT} (1).ipynb"  # a file name as it comes by e-mail
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(content)
        run = ovop("submit", ASSIGNMENT, path, "--trainee", login, *where)
        assert run.code == 0, run.err

    # Round 1: the trainee who will later swallow KeyboardInterrupt hands in perfect work.
    submit("swallows_interrupt", samples["perfect"])
    first_collect = ovop("collect", ASSIGNMENT, *where)
    first_grade = ovop("grade", ASSIGNMENT, "--trainee", "swallows_interrupt", "--timeout", "10",
                       *where)
    first_rows = export_rows(course, work / "first.csv")

    # Round 2: everyone (the damaged file included) submits; one bad submission each.
    for login, content in samples.items():
        submit(login, content)
    collect = ovop("collect", ASSIGNMENT, "--one-account", *where)
    grade = ovop("grade", ASSIGNMENT, "--timeout", "10", *where)
    xlsx = work / "grades.xlsx"
    assert ovop("export", ASSIGNMENT, "--xlsx", xlsx, *where).code == 0
    moodle = ovop("export", ASSIGNMENT, "--moodle", work / "moodle.csv", "--moodle-id", "login",
                  *where)
    assert moodle.code == 0, moodle.err
    moodle_rows = (work / "moodle.csv").read_text(encoding="utf-8-sig").splitlines()
    csv_rows = export_rows(course, work / "grades.csv")
    with course.gradebook() as gb:
        stale = gb.find_submission(ASSIGNMENT, "swallows_interrupt").score
        # The trainer grades the written answer of the perfect work, as formgrader does.
        written = gb.find_grade("d_answer", ASSIGNMENT, ASSIGNMENT, "perfect")
        written.manual_score, written.needs_manual_grade = 3, False
        gb.db.commit()
    manual_rows = export_rows(course, work / "after_manual.csv")
    feedback = ovop("feedback", ASSIGNMENT, *where)
    return Workflow(course, jupyter_home, first_collect, first_grade, first_rows, collect, grade,
                    csv_rows,
                    [list(r) for r in load_workbook(xlsx).active.iter_rows(values_only=True)],
                    stale, manual_rows, feedback, moodle.out, moodle_rows)


@pytest.mark.parametrize("login", EXPECTED)
def test_each_submission_gets_its_score_or_a_clear_reason(workflow, login):
    row = workflow.csv_rows[login]
    expected = EXPECTED[login]
    if isinstance(expected, int):
        assert row["Статус"] == "оценено", row
        assert float(row["Баллы"]) == expected
        assert row["Максимум"] == "20"
    elif expected == "не сдано":
        assert row["Статус"] == "не сдано" and row["Баллы"] == ""
    else:
        assert row["Статус"].startswith(f"не оценено: {expected}"), row
        assert row["Баллы"] == "", "a submission that could not be graded shows no score"


def test_a_stale_grade_is_never_reported_as_current(workflow):
    assert workflow.first_grade.code == 0, workflow.first_grade.out
    assert workflow.first_rows["swallows_interrupt"]["Баллы"] == str(AUTOGRADED_MAX)
    # nbgrader's gradebook still holds the old score of the replaced submission …
    assert workflow.stale_gradebook_score == AUTOGRADED_MAX
    # … the trainer's table does not.
    row = workflow.csv_rows["swallows_interrupt"]
    assert row["Баллы"] == "" and row["Статус"].startswith("не оценено")


def test_pasted_and_deleted_cells_are_graded_and_the_trainer_told(workflow):
    """Issue 12, defect 2: a pasted copy of an answer cell, or a deleted answer and written
    answer, made the whole work ungradable («nbgrader не смог проверить работу»)."""
    out = workflow.grade.out
    assert ("pasted_cell — исправлено при проверке: копия ячейки a3_answer (вставленная "
            "слушателем) оценена как обычная ячейка") in out
    assert ("deleted_answers — исправлено при проверке: удалённые ячейки d_answer "
            "возвращены на место") in out


def test_grade_goes_on_after_bad_submissions_and_names_them(workflow):
    run = workflow.grade
    assert run.code == 1, "some submissions could not be graded"
    assert "Оценено: 12. Не удалось оценить: 2." in run.out
    assert "swallows_interrupt — не оценено: программа не остановилась" in run.out
    assert "damaged_file — не оценено: файл тетради повреждён" in run.out
    assert "Проверка работ" in run.err and "14/14" in run.err  # the progress bar
    assert "Traceback" not in run.out + run.err


def test_collect_warns_about_foreign_owner_only_without_one_account(workflow):
    assert workflow.first_collect.code == 0
    assert "работа от имени swallows_interrupt сдана учётной записью" in workflow.first_collect.out
    assert "сдана учётной записью" not in workflow.collect.out
    assert "Собрано новых или обновлённых работ: 14" in workflow.collect.out


def test_export_lists_every_trainee_in_csv_and_xlsx(workflow):
    assert set(workflow.csv_rows) == set(EXPECTED)
    header, *rows = workflow.xlsx_rows
    assert header == ["Логин", "Фамилия", "Имя", "Эл. почта", "Статус", "Баллы", "Максимум",
                      "Письменные ответы", "Подозрительно"]
    by_login = {r[0]: dict(zip(header, r)) for r in rows}
    assert set(by_login) == set(EXPECTED)
    assert by_login["perfect"]["Баллы"] == AUTOGRADED_MAX and by_login["absent"]["Баллы"] is None
    assert by_login["perfect"]["Письменные ответы"] == "ждёт проверки тренером"
    assert not by_login["perfect"]["Подозрительно"]
    # issue 12, defect 8: an empty written answer is not «проверено» (nobody checked it)
    assert by_login["empty"]["Письменные ответы"] == "письменный ответ не написан: 0 баллов"


def test_the_moodle_file_has_each_graded_trainee_and_says_who_is_left_out(workflow):
    header, *lines = workflow.moodle_rows
    assert header == f"Username,First name,Last name,{ASSIGNMENT}"
    graded = {login for login, r in workflow.csv_rows.items() if r["Баллы"]}
    assert {line.split(",")[0] for line in lines} == graded
    for login, r in workflow.csv_rows.items():
        if not r["Баллы"]:
            assert f"не в файле для Moodle: {login} — {r['Статус']}" in workflow.moodle_out
    assert "«Сопоставить с» — username" in workflow.moodle_out


def test_manual_points_are_added_once_the_trainer_grades(workflow):
    row = workflow.manual_rows["perfect"]
    assert float(row["Баллы"]) == 20 and row["Письменные ответы"] == "проверено"


def test_huge_output_is_cut_in_the_graded_copy(workflow):
    graded = workflow.course.student_path("autograded", "huge_output", ASSIGNMENT)
    assert (graded / f"{ASSIGNMENT}.ipynb").stat().st_size < 500_000


@pytest.mark.filterwarnings("ignore:Passing unrecognized arguments")  # nbgrader's own typo
def test_feedback_only_for_current_grades_and_fetchable_by_the_trainee(workflow):
    assert workflow.feedback.code == 0, workflow.feedback.out
    assert "Отзывы созданы: 12" in workflow.feedback.out
    assert "Пропущено работ без актуальной оценки: 2" in workflow.feedback.out
    course = workflow.course
    assert not course.student_path("feedback", "swallows_interrupt", ASSIGNMENT).exists()
    trainee_dir = workflow.home / "partial"
    api = course.api({"Exchange": {"assignment_dir": str(trainee_dir)}})
    assert api.fetch_feedback(ASSIGNMENT, "partial")["success"]
    # One OS account shares one submission cache, so every page is fetched; take partial's.
    submitted = course.student_path("submitted", "partial", ASSIGNMENT)
    stamp = (submitted / "timestamp.txt").read_text(encoding="utf-8").strip()
    page = trainee_dir / ASSIGNMENT / "feedback" / stamp / f"{ASSIGNMENT}.html"
    html = page.read_text(encoding="utf-8")
    assert "проверьте, что цена указана за килограмм" in html
    # issue 12, defect 6: no hidden test's code, nor an error quoting it, in a feedback page
    text = unescape(re.sub(r"<[^>]+>", "", html))
    hidden = hidden_lines(course.source_dir / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    assert hidden and not [line for line in hidden if line in text]
    assert "скрытые проверки: их код не показывается" in text


def hidden_lines(path: Path) -> list[str]:
    """The code lines of the hidden tests of a source notebook (their messages are answers)."""
    lines, inside = [], False
    for cell in nbformat.read(path, as_version=4).cells:
        for line in cell.source.splitlines():
            if "BEGIN HIDDEN TESTS" in line or "END HIDDEN TESTS" in line:
                inside = "BEGIN" in line
            elif inside and line.strip():
                lines.append(line.strip())
    return lines


# --- issue 12, defect 1: a trainee id that is a path --------------------------------------------

@pytest.mark.parametrize("login", ["../solutions", "../exercises", "../../x", "..",
                                   "aibek s", "Айбек"])
def test_a_login_that_is_a_path_or_not_a_login_is_refused_and_nothing_is_touched(
        workflow, jupyter_home, tmp_path, login):
    """After a grading run, ``grade --trainee ../solutions`` deleted the source assignment and
    ``submit --trainee ../../x`` wrote outside the exchange and answered «сдана». Every command
    takes a login by the roster's rule, in the same Russian words."""
    course, where = workflow.course, ("--course-dir", workflow.course.root)
    before = {p: p.read_bytes() for p in course.root.rglob("*") if p.is_file()}
    exchange = {p for p in (jupyter_home / "exchange").rglob("*")}
    work = tmp_path / f"{ASSIGNMENT}.ipynb"
    work.write_bytes(next(iter(course.student_path(
        "submitted", "perfect", ASSIGNMENT).glob("*.ipynb"))).read_bytes())
    for run in (ovop("grade", ASSIGNMENT, "--trainee", login, *where),
                ovop("submit", ASSIGNMENT, work, "--trainee", login, *where)):
        assert run.code == 2, run.out
        assert f"логин «{login}» может содержать только латинские буквы" in run.err
        assert "Traceback" not in run.err + run.out
    assert (course.source_dir / ASSIGNMENT).is_dir()
    assert {p: p.read_bytes() for p in course.root.rglob("*") if p.is_file()} == before
    assert {p for p in (jupyter_home / "exchange").rglob("*")} == exchange
    assert not (tmp_path.parent / "x").exists()
