"""``grade --jobs N`` (issue 12) and a work that kills its grading process (defect 3).

One class is graded twice, ``--jobs 1`` then ``--jobs 2``: the exports are the same. The class
has good and partial work, an endless loop, and three works that kill a process: the kernel's
parent (the grading worker), the kernel's own process group, and the worker's process group.
Before issue 12 the first and the last killed ``grade`` itself (here: pytest) and nobody after
them was graded. The class is graded without the sandbox (``--no-sandbox``, as where none can
be made): in the sandbox the kernel cannot see its grader's processes (tests/grading/
test_sandbox.py), here the worker processes alone keep the run going. Everything is graded
once per module; the tests read the results.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from grading_helpers import ASSIGNMENT, Run, copy_course, enrol_and_release, export_rows, ovop

from benchmarks.grading import answered
from ovop_course.grading import workers
from ovop_course.grading.course import Course

pytestmark = pytest.mark.grading

WORKER_STOPPED = "не оценено: процесс, который проверял работу, остановлен"
# Trainee login → the code put before the first answer, and the expected score or status.
CLASS = {
    "k1_kills_parent": ("import os\nos.kill(os.getppid(), 9)", WORKER_STOPPED),
    "k2_kills_own_group": ("import os\nos.killpg(os.getpgrp(), 9)",
                           "не оценено: Python остановился во время проверки"),
    "k3_kills_parent_group": ("import os\nos.killpg(os.getpgid(os.getppid()), 9)",
                              WORKER_STOPPED),
    "p1_perfect": ("", 17),
    "p2_partial": ("raise ValueError('не успел')", 14),  # А1 (3 points) fails
    "p3_endless": ("while True:\n    pass", 14),  # interrupted after --timeout: А1 fails
}
LOCK_SECONDS = 6  # longer than pysqlite's default wait (5 s)
LOCKER = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
db.execute("COMMIT")
"""


@dataclass
class Graded:
    course: Course
    serial: Run
    parallel: Run
    serial_rows: dict
    parallel_rows: dict


def submit_class(course: Course, home: Path, work: Path) -> None:
    """Register, release, submit (the code of CLASS before the first answer) and collect."""
    where = ("--course-dir", course.root)
    enrol_and_release(course, work, CLASS)
    released = home / "exchange" / "ovop" / "outbound" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    for login, (code, _) in CLASS.items():
        nb = answered(released, course.source_dir / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
        first = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution"))
        first.source = f"{code}\n{first.source}"
        path = work / f"{login}.ipynb"
        nbformat.write(nb, path)
        assert ovop("submit", ASSIGNMENT, path, "--trainee", login, *where).code == 0
    assert ovop("collect", ASSIGNMENT, "--one-account", *where).code == 0


@pytest.fixture(scope="module")
def graded(jupyter_home, tmp_path_factory) -> Graded:
    course = copy_course(tmp_path_factory.mktemp("course"))
    work = tmp_path_factory.mktemp("work")
    submit_class(course, jupyter_home, work)
    where = ("--course-dir", course.root, "--timeout", "3", "--no-sandbox")
    serial = ovop("grade", ASSIGNMENT, "--jobs", "1", *where)
    serial_rows = export_rows(course, work / "serial.csv")
    parallel = ovop("grade", ASSIGNMENT, "--jobs", "2", *where)
    return Graded(course, serial, parallel, serial_rows,
                  export_rows(course, work / "parallel.csv"))


def test_two_at_once_give_the_same_grades_as_one_at_a_time(graded):
    assert graded.parallel_rows == graded.serial_rows
    assert graded.parallel.out == graded.serial.out


@pytest.mark.parametrize("login", CLASS)
def test_each_work_gets_its_score_or_its_reason(graded, login):
    expected = CLASS[login][1]
    row = graded.parallel_rows[login]
    if isinstance(expected, int):
        assert (row["Статус"], float(row["Баллы"])) == ("оценено", expected), row
    else:
        assert row["Статус"].startswith(expected) and row["Баллы"] == "", row


def test_a_work_that_kills_its_grader_stops_only_its_own_grading(graded):
    """Issue 12, defect 3: ``os.kill(os.getppid(), 9)`` in a work ended ``grade`` with no
    message, and the trainees after it were not graded."""
    for run in (graded.serial, graded.parallel):
        assert run.code == 1
        assert "Оценено: 3. Не удалось оценить: 3." in run.out
        assert f"k1_kills_parent — {WORKER_STOPPED}" in run.out
        assert "Traceback" not in run.out + run.err
    log = graded.course.status_dir / "logs" / ASSIGNMENT / "k1_kills_parent.log"
    assert "killed by signal 9" in log.read_text(encoding="utf-8")


def test_no_gradebook_write_of_two_workers_failed(graded):
    logs = (graded.course.status_dir / "logs" / ASSIGNMENT).glob("*.log")
    assert not [p.name for p in logs if "database is locked" in p.read_text(encoding="utf-8")]


@pytest.mark.parametrize("run", ["serial", "parallel"])
def test_one_progress_bar_reaches_every_work(graded, run):
    err = getattr(graded, run).err
    bars = [line for line in err.split("\n") if "Проверка работ" in line]
    assert len(bars) == 1 and "\x1b[A" not in err, err  # one bar, none drawn above another
    assert f"{len(CLASS)}/{len(CLASS)}" in bars[0].split("\r")[-1]


# --- the worker processes alone ------------------------------------------------------------------

def _job(item: str) -> int:
    """A job for the workers' tests: its worker's pid; "kill…" kills the worker."""
    if item.startswith("kill"):
        os.kill(os.getpid(), 9)
    if item == "raise":
        raise ValueError(item)
    return os.getpid()


def test_dead_workers_give_died_and_are_replaced():
    started = []
    with workers.Workers(_job, 2) as pool:
        results = dict(pool.results(["kill1", "kill2", "a", "b"], started.append))
    assert results["kill1"] == results["kill2"] == workers.Died(-9)
    assert str(results["kill1"]).startswith("killed by signal 9")
    assert {type(results[k]) for k in "ab"} == {int}  # done by the workers that replaced them
    assert len(started) == 4 and max(len(running) for running in started) == 2


def test_an_error_of_the_job_is_raised_in_the_grading_process():
    with workers.Workers(_job, 2) as pool, pytest.raises(ValueError, match="raise"):
        list(pool.results(["a", "raise", "b"]))


def _sleep_or_raise(item: tuple[str, str]) -> None:
    """A job for the workers' tests: ("sleep", marker) sleeps and writes ``marker`` as it
    unwinds; ("raise", _) raises once the other has started."""
    kind, marker = item
    time.sleep(0.5)
    if kind == "raise":
        raise ValueError(kind)
    try:
        time.sleep(60)
    finally:
        Path(marker).write_text("unwound", encoding="utf-8")


def test_a_busy_worker_is_interrupted_and_unwinds_when_grading_stops(tmp_path):
    """Leaving the workers early (an error, Ctrl+C) interrupts a busy worker as Ctrl+C would:
    its job unwinds (nbclient shuts the kernel down) instead of being killed on the spot."""
    marker = tmp_path / "marker"
    start = time.perf_counter()
    with pytest.raises(ValueError), workers.Workers(_sleep_or_raise, 2) as pool:
        list(pool.results([("sleep", str(marker)), ("raise", "")]))
    assert marker.read_text(encoding="utf-8") == "unwound"
    assert time.perf_counter() - start < workers.STOP_SECONDS


def _add_trainee(item: tuple[str, str]) -> str:
    """A job for the workers' tests: put the trainee (course folder, login) in the gradebook."""
    root, login = item
    with Course(Path(root)).gradebook() as gb:
        gb.update_or_create_student(login)
    return login


def test_gradebook_writes_of_workers_wait_their_turn(jupyter_home, tmp_path):
    """Workers writing the gradebook at once, while another process holds it for longer than
    pysqlite's default wait (5 s): every write waits, none fails with «database is locked»."""
    course = copy_course(tmp_path / "course")
    with course.gradebook():
        pass  # created before the lock
    locker = subprocess.Popen([sys.executable, "-c", LOCKER, course.root / "gradebook.db",
                               str(LOCK_SECONDS)], stdout=subprocess.PIPE, text=True)
    assert locker.stdout.readline() == "locked\n"
    logins = [f"t{i}" for i in range(4)]
    with workers.Workers(_add_trainee, 2) as pool:
        assert sorted(dict(pool.results((str(course.root), s) for s in logins)).values()) == logins
    assert locker.wait() == 0
    with course.gradebook() as gb:
        assert sorted(s.id for s in gb.students) == logins


def test_spawned_workers_give_the_same_results(monkeypatch):
    """Where fork is not used (macOS, Windows) workers are spawned."""
    import multiprocessing

    monkeypatch.setattr(workers, "_context", lambda: multiprocessing.get_context("spawn"))
    with workers.Workers(len, 2) as pool:
        assert dict(pool.results(["ab", "c", "def"])) == {"ab": 2, "c": 1, "def": 3}


def test_jobs_must_be_a_whole_number_above_zero():
    for value in ("0", "-1", "два"):
        run = ovop("grade", ASSIGNMENT, "--jobs", value)
        assert run.code == 2
        assert "целое число больше нуля" in run.err
