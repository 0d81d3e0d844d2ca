"""Autograde in a sandbox (issue 12, defect 7): a trainee's code reaches nothing but its own work.

A hostile submission — the released ``m01_concept`` with the solution's answers and, in its first
answer cell, code that tries to read and to write the gradebook, solutions/, exercises/, another
trainee's submission, the exchange, the fingerprint file and the course package (its source
folder and site-packages), to connect to a port the test opens here (on 127.0.0.1 and on this
computer's network address) and to a public address, to reach unix sockets outside (in HOME
and /run, where D-Bus and docker keep theirs), to read a credential from the environment,
to take more memory than the limit, and to leave a detached process running. The attempts print
their results into the graded notebook. Every attempt fails, nothing outside the work changes,
no process is left, and the work still gets its full score. Reading the course package is
allowed: it is the public library the work imports.

A notebook past its time is stopped and «не оценено». Without a sandbox ``grade`` refuses in
Russian unless ``--no-sandbox`` accepts the risk. One grading workflow for the module; the
tests read its results.
"""

from __future__ import annotations

import contextlib
import copy
import csv
import hashlib
import json
import os
import signal
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import nbformat
import nbgrader
import pytest
from grading_helpers import ASSIGNMENT, Run, copy_course, ovop

import ovop_course
from benchmarks.grading import answered
from ovop_course.grading import sandbox
from ovop_course.grading.course import CONFIG_FILE, Course

pytestmark = pytest.mark.grading

FULL_SCORE = 17  # autograded points of m01_concept
MARKER = f"ovop-sandbox-probe-{uuid.uuid4().hex}"  # in the argv of the process left behind

PROBE = '''
import json as _json, os as _os, socket as _socket, subprocess as _subprocess, sys as _sys

def _outcome(action):
    try:
        action()
        return "удалось"
    except Exception as error:  # the attempt failed: that is what the sandbox is for
        return "нет: " + type(error).__name__

def _read(path):
    with open(path, "rb") as f:
        if not f.read(64):
            raise EOFError(path)

def _rewrite(path):  # the same first byte written back: a write, with nothing damaged
    with open(path, "r+b") as f:
        first = f.read(1)
        f.seek(0)
        f.write(first)

def _create(folder):
    with open(_os.path.join(folder, NAME + ".txt"), "w") as f:
        f.write("forged")

def _connect(address):
    _socket.create_connection(address, timeout=2).close()

def _connect_unix(path):
    with _socket.socket(_socket.AF_UNIX) as s:
        s.settimeout(2)
        s.connect(path)

def _leave_process():
    _subprocess.Popen(["setsid", "-f", _sys.executable, "-c", "import time; time.sleep(600)",
                       NAME], start_new_session=True)

_probe = {}
for _name, (_file, _folder) in TARGETS.items():
    _probe[_name + ".read"] = _outcome(lambda: _read(_file))
    _probe[_name + ".rewrite"] = _outcome(lambda: _rewrite(_file))
    _probe[_name + ".create"] = _outcome(lambda: _create(_folder))
for _name, _address in ADDRESSES.items():
    _probe[_name] = _outcome(lambda: _connect(tuple(_address)))
for _name, _path in UNIX_SOCKETS.items():
    _probe[_name] = _outcome(lambda: _connect_unix(_path))
_probe["secret.read"] = _outcome(lambda: _os.environ["OVOP_PROBE_TOKEN"])
_probe["memory.beyond_limit"] = _outcome(lambda: bytearray(MEMORY))
_probe["process.spawn"] = _outcome(_leave_process)
print("PROBE " + _json.dumps(_probe, ensure_ascii=False))
'''

PRIVATE = ("gradebook", "solutions", "exercises", "other_submission", "exchange",
           "fingerprints")  # nothing of these may be read or written
PUBLIC = ("package", "site_packages")  # may be read (the work imports them), never written


def grade_id(cell) -> str | None:
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def hostile(nb, targets: dict, addresses: dict, unix_sockets: dict):
    """``nb`` with the probe after the first answer (its paths and addresses written in)."""
    nb = copy.deepcopy(nb)
    cell = next(c for c in nb.cells if grade_id(c) == "a1_answer")
    cell.source += (f"\nNAME = {MARKER!r}\nTARGETS = {targets!r}\nADDRESSES = {addresses!r}\n"
                    f"UNIX_SOCKETS = {unix_sockets!r}\nMEMORY = {sandbox.MEMORY_LIMIT}\n"
                    + PROBE)
    return nb


def unix_listeners(stack: contextlib.ExitStack, home: Path) -> dict[str, str]:
    """Unix sockets listening outside, as the trainer's D-Bus or docker ones do: in HOME, and
    in /run where this account may write there (root, as in CI): name → path."""
    places = {"unix.home": home / f"{MARKER}.sock"}
    if os.access("/run", os.W_OK):
        places["unix.run"] = Path("/run") / f"{MARKER}.sock"
    for path in places.values():
        listener = stack.enter_context(socket.socket(socket.AF_UNIX))
        listener.bind(str(path))
        stack.callback(path.unlink, missing_ok=True)
        listener.listen()
    return {name: str(path) for name, path in places.items()}


def network_address() -> str | None:
    """This computer's address on its network (None when it has only loopback)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("198.51.100.1", 9))  # no packet is sent: this only picks a route
        except OSError:
            return None
        address = s.getsockname()[0]
    return None if address.startswith("127.") else address


def snapshot(paths: list[Path]) -> dict[Path, tuple[str, int]]:
    """(SHA-256, mtime) of every file under ``paths`` (a file path is taken as itself)."""
    files = [f for p in paths for f in ([p] if p.is_file() else p.rglob("*")) if f.is_file()]
    return {f: (hashlib.sha256(f.read_bytes()).hexdigest(), f.stat().st_mtime_ns)
            for f in files}


def processes_with(marker: str) -> list[int]:
    """Ids of the processes on this computer whose command line holds ``marker``."""
    found = []
    for entry in Path("/proc").iterdir():
        with contextlib.suppress(OSError):
            if entry.name.isdigit() and marker.encode() in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
    return found


@dataclass
class Attack:
    course: Course
    submit: Callable[[str, object], None]  # a trainee's notebook submitted and collected
    solved: object  # the released notebook with the solution's answers
    probe: dict[str, str]
    grade: Run
    rows: dict[str, dict]
    changed: list[Path]
    created: list[Path]
    left: list[int]


def export_rows(course: Course, path: Path) -> dict[str, dict]:
    run = ovop("export", ASSIGNMENT, "--csv", path, "--course-dir", course.root)
    assert run.code == 0, run.err
    with path.open(encoding="utf-8-sig") as f:
        return {row["Логин"]: row for row in csv.DictReader(f)}


def targets_of(course: Course, exchange: Path) -> dict[str, tuple[str, str]]:
    """What the probe attacks: name → (a file to read and rewrite, a folder to create in)."""
    other = course.student_path("submitted", "other", ASSIGNMENT)
    site_packages = Path(nbgrader.__file__).resolve().parents[1]
    package = Path(ovop_course.__file__).resolve().parent
    targets = {
        "gradebook": (course.root / "gradebook.db", course.root),
        "solutions": (course.source_dir / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", course.source_dir),
        "exercises": (course.release_dir / ASSIGNMENT / f"{ASSIGNMENT}.ipynb",
                      course.release_dir),
        "other_submission": (other / f"{ASSIGNMENT}.ipynb", other),
        "exchange": (next((exchange / "inbound").glob(f"*/{ASSIGNMENT}.ipynb")),
                     exchange / "inbound"),
        "fingerprints": (course.status_dir / f"{ASSIGNMENT}.json", course.status_dir),
        "package": (package / "errors.py", package),
        "site_packages": (site_packages / "nbgrader" / "__init__.py", site_packages),
    }
    return {name: (str(file), str(folder)) for name, (file, folder) in targets.items()}


@pytest.fixture(scope="module")
def attack(jupyter_home, tmp_path_factory) -> Attack:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("OVOP_PROBE_TOKEN", "a credential of the trainer's")
        yield from run_attack(jupyter_home, tmp_path_factory)


def run_attack(jupyter_home: Path, tmp_path_factory):
    """The workflow of the module (see the module docstring); yields its :class:`Attack`."""
    course = copy_course(tmp_path_factory.mktemp("course"))
    where = ("--course-dir", course.root)
    work = tmp_path_factory.mktemp("work")
    roster = work / "trainees.csv"
    roster.write_text("id,last_name,first_name,email\nhostile,Х,Х,\nother,Д,Д,\nslow,М,М,\n",
                      encoding="utf-8")
    assert ovop("trainees", "add", roster, *where).code == 0
    assert ovop("release", ASSIGNMENT, *where).code == 0
    exchange = jupyter_home / "exchange" / "ovop"
    solved = answered(exchange / "outbound" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb",
                      course.source_dir / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")

    def submit(login: str, nb) -> None:
        path = work / login / f"{ASSIGNMENT}.ipynb"
        path.parent.mkdir(exist_ok=True)
        nbformat.write(nb, path)
        assert ovop("submit", ASSIGNMENT, path, "--trainee", login, *where).code == 0
        assert ovop("collect", ASSIGNMENT, "--one-account", *where).code == 0

    submit("other", solved)  # graded first: its grade and fingerprint exist when the attack runs
    assert ovop("grade", ASSIGNMENT, *where).code == 0
    targets = targets_of(course, exchange)
    created = [Path(folder) / f"{MARKER}.txt" for _, folder in targets.values()]
    with contextlib.ExitStack() as stack:
        port = stack.enter_context(socket.create_server(("0.0.0.0", 0))).getsockname()[1]
        addresses = {"network.loopback": ["127.0.0.1", port], "network.public": ["1.1.1.1", 53]}
        if network_address():
            addresses["network.this_computer"] = [network_address(), port]
        submit("hostile", hostile(solved, targets, addresses,
                                  unix_listeners(stack, jupyter_home)))
        watched = [course.source_dir, course.release_dir, course.root / "submitted", exchange,
                   course.student_path("autograded", "other", ASSIGNMENT),
                   course.status_dir / "logs" / ASSIGNMENT / "other.log",
                   *(Path(file) for name, (file, _) in targets.items()
                     if name not in ("gradebook", "fingerprints"))]  # grading writes these two
        before = snapshot(watched)
        grade = ovop("grade", ASSIGNMENT, "--trainee", "hostile", *where)
        after = snapshot(watched)
    graded = nbformat.read(course.student_path("autograded", "hostile", ASSIGNMENT)
                           / f"{ASSIGNMENT}.ipynb", as_version=4)
    cell = next(c for c in graded.cells if grade_id(c) == "a1_answer")
    lines = [ln for o in cell.outputs if o.get("output_type") == "stream"
             for ln in o.text.splitlines() if ln.startswith("PROBE ")]
    probe = json.loads(lines[0].removeprefix("PROBE ")) if lines else {}
    left = processes_with(MARKER)
    yield Attack(course, submit, solved, probe, grade, export_rows(course, work / "grades.csv"),
                 sorted(f for f in before.keys() | after.keys() if before.get(f) != after.get(f)),
                 [p for p in created if p.exists()], left)
    for path in created:  # what a probe that got out (without the sandbox) left is removed
        path.unlink(missing_ok=True)
    for pid in left:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


def test_the_sandbox_is_there():
    assert sandbox.sandbox_available(), sandbox.unavailable_message()


def test_the_hostile_work_ran_its_attempts(attack):
    assert attack.probe, attack.grade.out
    assert set(attack.probe) >= {f"{name}.{kind}" for name in PRIVATE + PUBLIC
                                 for kind in ("read", "rewrite", "create")}


@pytest.mark.parametrize("name", PRIVATE)
def test_nothing_of_the_course_can_be_read_or_written(attack, name):
    got = {kind: attack.probe.get(f"{name}.{kind}") for kind in ("read", "rewrite", "create")}
    assert all(v and v.startswith("нет") for v in got.values()), got


@pytest.mark.parametrize("name", PUBLIC)
def test_the_course_package_can_be_read_but_not_written(attack, name):
    assert attack.probe[f"{name}.read"] == "удалось"
    assert attack.probe[f"{name}.rewrite"].startswith("нет"), attack.probe
    assert attack.probe[f"{name}.create"].startswith("нет"), attack.probe


def test_no_credential_of_the_environment(attack):
    assert attack.probe["secret.read"].startswith("нет"), attack.probe


def test_no_memory_beyond_the_limit(attack):
    assert attack.probe["memory.beyond_limit"] == "нет: MemoryError", attack.probe


def test_no_network(attack):
    network = {k: v for k, v in attack.probe.items() if k.startswith("network.")}
    assert network and all(v.startswith("нет") for v in network.values()), network


def test_no_unix_socket_outside(attack):
    sockets = {k: v for k, v in attack.probe.items() if k.startswith("unix.")}
    assert sockets and all(v.startswith("нет") for v in sockets.values()), sockets


def test_nothing_outside_the_work_changed(attack):
    assert attack.changed == []
    assert attack.created == []


def test_no_process_outlives_grading(attack):
    assert attack.probe["process.spawn"] == "удалось"  # it was started …
    assert attack.left == []  # … and killed with the sandbox


def test_the_hostile_work_is_graded_in_full_and_the_other_untouched(attack):
    assert attack.grade.code == 0, attack.grade.out
    for login in ("hostile", "other"):
        row = attack.rows[login]
        assert row["Статус"] == "оценено" and float(row["Баллы"]) == FULL_SCORE, row


def test_without_a_sandbox_grade_refuses_unless_the_risk_is_accepted(attack, monkeypatch):
    """As on a computer without bubblewrap: the sandbox is reported unavailable."""
    monkeypatch.setattr(sandbox, "_problem", lambda: ("grading.sandbox.missing",
                                                      {"programs": "bwrap"}))
    where = ("--course-dir", attack.course.root)
    refused = ovop("grade", ASSIGNMENT, "--trainee", "other", *where)
    assert refused.code != 0
    assert "Работы нельзя проверить в песочнице: не найдены программы bwrap" in refused.err
    assert refused.err.count("--no-sandbox") == 1, refused.err
    assert "Оценено" not in refused.out and "Проверка работ" not in refused.err
    accepted = ovop("grade", ASSIGNMENT, "--trainee", "other", "--no-sandbox", *where)
    assert accepted.code == 0, accepted.out + accepted.err
    warnings = [ln for ln in accepted.out.splitlines() + accepted.err.splitlines()
                if "без песочницы" in ln]
    assert len(warnings) == 1, accepted.out + accepted.err
    assert "Оценено: 1. Не удалось оценить: 0." in accepted.out


def test_a_notebook_past_its_time_is_stopped_and_not_graded(attack, tmp_path):
    """The whole notebook has ``wall_time`` seconds (here 3; each cell's own timeout is 30):
    then the sandbox is killed and the work is «не оценено» with the dead kernel's reason."""
    config = attack.course.root / CONFIG_FILE
    settings = config.read_text(encoding="utf-8")
    config.write_text(settings + "\nc.SandboxedKernelManager.wall_time = 3\n", encoding="utf-8")
    try:
        slow = copy.deepcopy(attack.solved)
        cell = next(c for c in slow.cells if grade_id(c) == "c1_answer")
        cell.source = "import time\ntime.sleep(20)\n" + cell.source
        attack.submit("slow", slow)
        run = ovop("grade", ASSIGNMENT, "--trainee", "slow", "--course-dir", attack.course.root)
    finally:
        config.write_text(settings, encoding="utf-8")
    assert run.code == 1
    row = export_rows(attack.course, tmp_path / "grades.csv")["slow"]
    assert row["Статус"].startswith("не оценено: Python остановился во время проверки"), row


def test_other_peoples_folders_and_a_gradebook_elsewhere_are_hidden(tmp_path):
    """Homes (a JupyterHub server's trainees), served data and databases are hidden, and so
    is a gradebook the settings keep outside the course folder: a folder shows empty, a file
    shows as an empty file, and neither can be written."""
    import subprocess

    assert {"/home", "/srv", "/var/lib"} <= {str(p) for p in sandbox.private_folders()}
    folder, gradebook = tmp_path / "someone", tmp_path / "gradebook.db"
    folder.mkdir()
    (folder / "work.ipynb").write_text("секрет", encoding="utf-8")
    gradebook.write_bytes(b"SQLite format 3\0")
    scratch = sandbox.Scratch(None)
    try:
        mounts = scratch.mounts([folder, gradebook], [], [])
        script = (f"ls -A {folder}; cat {gradebook}; echo x > {gradebook} || echo refused;"
                  f" touch {folder}/new || echo refused")
        run = subprocess.run(sandbox.command(["sh", "-c", script], mounts, Path("/"),
                                             sandbox.MEMORY_LIMIT, 30),
                             capture_output=True, text=True, timeout=60)
    finally:
        scratch.remove()
    assert run.stdout.split() == ["refused", "refused"], (run.stdout, run.stderr)
    assert (folder / "work.ipynb").read_text(encoding="utf-8") == "секрет"
    assert gradebook.read_bytes() == b"SQLite format 3\0" and not (folder / "new").exists()
