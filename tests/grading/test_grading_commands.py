"""The trainer's command: Russian help for every sub-command, Russian errors without a
traceback, and the rules behind the statuses (fingerprint, reasons, roster checks)."""

from __future__ import annotations

import json
from dataclasses import asdict

import pytest
from grading_helpers import ASSIGNMENT, ROOT, copy_course, ovop

from ovop_course.errors import OvopError
from ovop_course.grading import autograde, exercises, roster
from ovop_course.grading.course import Course
from ovop_course.i18n import t

pytestmark = pytest.mark.grading

SUBCOMMANDS = [["exercises"], ["trainees", "add"], ["trainees", "list"], ["release"],
               ["submit"], ["collect"], ["grade"], ["export"], ["feedback"]]


def test_top_level_help_lists_the_trainer_commands():
    run = ovop("--help")
    assert run.code == 0
    for name in ("exercises", "trainees", "release", "collect", "grade", "export", "feedback"):
        assert f"    {name}" in run.out
    assert "тренеру: проверить все собранные работы" in run.out


@pytest.mark.parametrize("words", SUBCOMMANDS, ids=" ".join)
def test_every_subcommand_has_russian_help(words):
    run = ovop(*words, "--help")
    assert run.code == 0, run.err
    assert "Использование:" in run.out and "--course-dir ПАПКА" in run.out
    assert "показать эту справку и выйти" in run.out
    assert "usage:" not in run.out and "show this help" not in run.out


def test_outside_a_course_folder_the_error_says_where_to_go(tmp_path):
    run = ovop("grade", ASSIGNMENT, "--course-dir", tmp_path)
    assert run.code == 2
    assert run.err.startswith(f"Ошибка: В папке {tmp_path} нет файла nbgrader_config.py")
    assert "--course-dir" in run.err and "Traceback" not in run.err


def test_bad_arguments_are_refused_in_russian(tmp_path):
    run = ovop("grade", ASSIGNMENT, "--timeout", "ноль", "--course-dir", tmp_path)
    assert run.code == 2
    assert "Время на ячейку — целое число секунд больше нуля, а указано «ноль»" in run.err
    run = ovop("export", "step99", "--course-dir", ROOT)
    assert run.code == 2
    assert "Задания «step99» нет в папке" in run.err and ASSIGNMENT in run.err


def test_workflow_steps_out_of_order_say_what_to_run_first(jupyter_home, tmp_path):
    course = copy_course(tmp_path / "course")
    run = ovop("export", ASSIGNMENT, "--course-dir", course.root)
    assert run.code == 2
    assert f"Сначала выполните: ovop-course exercises {ASSIGNMENT}" in run.err
    assert exercises.regenerate(course, ASSIGNMENT) == []  # puts it into the gradebook
    run = ovop("grade", ASSIGNMENT, "--course-dir", course.root)
    assert run.code == 2
    assert f"Сначала выполните ovop-course collect {ASSIGNMENT}" in run.err


def test_an_unusable_exchange_folder_is_explained(jupyter_home, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("не папка", encoding="utf-8")
    monkeypatch.setenv("OVOP_EXCHANGE", str(blocker / "exchange"))
    course = copy_course(tmp_path / "course")
    run = ovop("collect", ASSIGNMENT, "--course-dir", course.root)
    assert run.code == 2
    assert "Папка обмена заданиями" in run.err and "export OVOP_EXCHANGE=" in run.err


def test_roster_problems_are_named_with_their_line(tmp_path):
    path = tmp_path / "trainees.csv"
    path.write_text("id,last_name,first_name,email\naidai,Асанова,Айдай,\n"
                    "Болот Б,Бекиев,Болот,\n", encoding="utf-8")
    run = ovop("trainees", "add", path, "--course-dir", ROOT)
    assert run.code == 2
    assert "строка 3, столбец «id»: логин «Болот Б» может содержать только латинские" in run.err
    path.write_text("id,last_name\naidai,Асанова\naidai,Алиева\n", encoding="utf-8")
    with pytest.raises(OvopError, match="логины повторяются: aidai"):
        roster.read_trainees(path)
    path.write_text("login,last_name\naidai,Асанова\n", encoding="utf-8")
    with pytest.raises(OvopError, match="нет столбцов: id"):
        roster.read_trainees(path)


def test_roster_rows_keep_empty_names_empty(tmp_path):
    path = tmp_path / "trainees.csv"
    path.write_text("id,last_name,first_name,email\naidai,,,\n", encoding="utf-8")
    (row,) = roster.read_trainees(path)
    assert (row.id, row.last_name, row.first_name, row.email) == ("aidai", None, None, None)


@pytest.mark.parametrize("log, key", [
    ("CellTimeoutError: ... Timeout waiting for IOPub output.", "grading.reason.unresponsive"),
    ("nbclient.exceptions.DeadKernelError: Kernel died", "grading.reason.kernel_died"),
    ("[ERROR] No notebooks were matched by '/x/submitted/a/m01_concept/*.ipynb'",
     "grading.reason.no_notebook"),
    ("nbformat.reader.NotJSONError: Notebook does not appear to be JSON",
     "grading.reason.broken_file"),
    ("[ERROR] something nobody foresaw", "grading.reason.other"),
])
def test_each_known_failure_gets_its_russian_reason(log, key):
    course = Course(ROOT)
    reason = autograde.explain(log, course, ASSIGNMENT, "ovop_grading/logs/a.log")
    assert reason == t(key, notebooks=f"{ASSIGNMENT}.ipynb", log="ovop_grading/logs/a.log")


def test_a_newer_submission_is_not_graded_until_graded_again(tmp_path):
    """The status trusts a grade only for the exact files it was given for."""
    course = copy_course(tmp_path / "course")
    submitted = course.student_path("submitted", "aidai", ASSIGNMENT)
    graded = course.student_path("autograded", "aidai", ASSIGNMENT)
    for folder in (submitted, graded):
        folder.mkdir(parents=True)
        (folder / f"{ASSIGNMENT}.ipynb").write_text("{}", encoding="utf-8")
    record = autograde.GradeRecord("aidai", autograde.GRADED, None,
                                   autograde.fingerprint(submitted), "2026-01-01T00:00:00", "-")
    course.status_dir.mkdir()
    (course.status_dir / f"{ASSIGNMENT}.json").write_text(
        json.dumps({"aidai": asdict(record)}), encoding="utf-8")
    records = autograde.load_records(course, ASSIGNMENT)

    def status(login="aidai"):
        return autograde.current_status(course, ASSIGNMENT, login, records)

    assert status() == (autograde.GRADED, None)
    assert status("bolot") == (autograde.NOT_SUBMITTED, None)
    (graded / f"{ASSIGNMENT}.ipynb").unlink()
    assert status() == (autograde.NOT_GRADED,
                        t("grading.reason.copy_lost", assignment=ASSIGNMENT))
    (submitted / f"{ASSIGNMENT}.ipynb").write_text('{"new": 1}', encoding="utf-8")
    assert status() == (autograde.NOT_GRADED, t("grading.reason.not_yet", assignment=ASSIGNMENT))


def test_a_path_never_becomes_a_trainee_folder(tmp_path):
    """The course's own guard, behind the commands' check: no folder of a trainee is built
    from a login that is not one, and none leads out of its kind's folder."""
    course = Course(ROOT)
    assert course.student_path("autograded", "aibek.s", ASSIGNMENT).parent.name == "aibek.s"
    for login in ("../solutions", "..", "a/b", "Айбек", "a b", ""):
        with pytest.raises(OvopError, match="может содержать только латинские буквы"):
            course.student_path("autograded", login, ASSIGNMENT)


# --- issue 12, defect 4: outputs cut by bytes, not only by lines -------------------------------

def test_one_huge_line_and_a_huge_picture_are_cut_and_the_cut_is_said():
    """A single 5 MB line and a 3 MB picture went whole into the graded copy and the feedback
    (nbgrader cuts by lines only); now they are cut to the limits and the output says so."""
    import base64

    import nbformat

    from ovop_course.grading.metadata import autograde_preprocessors
    from ovop_course.grading.outputs import MAX_IMAGE_BYTES, MAX_TEXT_BYTES, LimitOutputSize

    assert LimitOutputSize in autograde_preprocessors()["autograde_preprocessors"]
    picture = base64.b64encode(b"\x89PNG" + bytes(2_300_000)).decode()
    chart = base64.b64encode(b"\x89PNG" + bytes(60_000)).decode()
    cell = nbformat.v4.new_code_cell("print('я' * 2_500_000)", outputs=[
        nbformat.v4.new_output("stream", name="stdout", text="я" * 2_500_000),
        nbformat.v4.new_output("display_data", data={"image/png": picture, "text/plain": "x"}),
        nbformat.v4.new_output("display_data", data={"image/png": chart}),
        nbformat.v4.new_output("error", ename="ValueError", evalue="ж" * 300_000,
                               traceback=["строка " * 100_000]),
    ])
    cut, _ = LimitOutputSize().preprocess_cell(cell, {}, 0)
    stream, big, small, error = cut.outputs
    assert len(stream.text.encode()) < MAX_TEXT_BYTES + 200
    assert stream.text.endswith("вывод обрезан при проверке: 5,0 МБ, больше предела 0,2 МБ")
    assert stream.text.startswith("я" * 1000)
    assert big.data == {"text/plain": "… рисунок убран при проверке: 3,1 МБ, больше предела "
                                      "2,0 МБ"}
    assert small.data["image/png"] == chart            # a chart of its usual size stays whole
    assert len(error.evalue.encode()) < MAX_TEXT_BYTES + 200
    assert all(len(line.encode()) < MAX_TEXT_BYTES + 200 for line in error.traceback)
    assert MAX_IMAGE_BYTES > len(chart)
