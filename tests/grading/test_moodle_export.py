"""The grades for Moodle's grade import: a file its CSV importer reads as the trainer means it.

Moodle (gradeimport/csv) takes an empty score as «no grade» and clears the grade it has, and
keeps the trainee of the row above when a row's identifier is blank: such rows must never be
written, and the trainer is told who was left out and why."""

from __future__ import annotations

import csv

import pytest

from ovop_course.errors import OvopError
from ovop_course.grading.report import GradeRow, write_moodle_csv

pytestmark = pytest.mark.grading


def row(login, score, email="", status="оценено"):
    return GradeRow(login=login, last_name=f"Фамилия-{login}", first_name="Айгуль",
                    email=email, status=status, score=score, max_score=20.0, manual="",
                    suspicious="")


ROWS = [row("aibek", 17.5, "aibek@example.kg"), row("bermet", 20.0, "bermet@example.kg"),
        row("chyngyz", None, "ch@example.kg", "не сдано"), row("dinara", 12.0)]


def read(path):
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def test_by_email_only_graded_trainees_with_an_email_are_written(tmp_path):
    done = write_moodle_csv(ROWS, tmp_path / "moodle.csv", "m02_territory")
    header, *lines = read(done.path)
    assert header == ["Email address", "First name", "Last name", "m02_territory"]
    assert lines == [["aibek@example.kg", "Айгуль", "Фамилия-aibek", "17.5"],
                     ["bermet@example.kg", "Айгуль", "Фамилия-bermet", "20"]]
    assert done.written == ["aibek", "bermet"]
    assert set(done.left_out) == {"chyngyz", "dinara"}
    assert done.left_out["chyngyz"] == "не сдано" and "e-mail" in done.left_out["dinara"]
    assert done.path.read_bytes().startswith(b"\xef\xbb\xbf")   # UTF-8 BOM: Moodle removes it


def test_by_login_every_graded_trainee_is_written_and_no_score_is_empty(tmp_path):
    done = write_moodle_csv(ROWS, tmp_path / "moodle.csv", "m02_territory", by="login")
    header, *lines = read(done.path)
    assert header[0] == "Username" and [line[0] for line in lines] == ["aibek", "bermet",
                                                                     "dinara"]
    assert all(line[-1] and float(line[-1]) >= 0 for line in lines)   # never an empty score
    assert list(done.left_out) == ["chyngyz"]


def test_an_unknown_identifier_is_refused_in_russian(tmp_path):
    with pytest.raises(OvopError, match="выберите одно из: email, login"):
        write_moodle_csv(ROWS, tmp_path / "moodle.csv", "m02_territory", by="idnumber")
    assert not (tmp_path / "moodle.csv").exists()
