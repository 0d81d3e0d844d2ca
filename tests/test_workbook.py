"""The trainee's workbook: round trips, atomic saves, damaged and newer files kept intact."""

import json
import os
import signal
import subprocess
import sys
import time
from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ovop_course import workbook as wbm
from ovop_course.errors import OvopError
from ovop_course.workbook import (
    Workbook,
    create_workbook,
    load_workbook,
    save_workbook,
    saved_language,
)

names = st.text(min_size=1, max_size=40).filter(lambda s: s.strip() == s and s)


def sample(**kw):
    return Workbook.new(trainee=kw.get("trainee", "Айгуль Асанова"),
                        aiyl_aimak=kw.get("aiyl_aimak", "Ак-Суу"),
                        region=kw.get("region", "Иссык-Кульская область"))


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(trainee=names, aimak=names, region=names, notes=st.text(max_size=200),
       scores=st.lists(st.tuples(st.integers(0, 20), st.integers(1, 20)), max_size=3))
def test_save_and_load_round_trip_every_field(tmp_path, trainee, aimak, region, notes, scores):
    wb = sample(trainee=trainee, aiyl_aimak=aimak, region=region)
    wb.step01_territory = wbm.TerritorySection(notes=notes)
    for i, (score, total) in enumerate(scores):
        wb.put_section(f"quizzes.quiz{i}", wbm.QuizRecord(score=min(score, total), total=total,
                                                          best=min(score, total)))
    path = tmp_path / "wb.json"
    save_workbook(wb, path)
    assert load_workbook(path) == wb


def test_a_section_put_again_keeps_its_notes_and_takes_the_new_time(monkeypatch):
    wb = sample()
    first = wb.put_section("step01_territory", wbm.TerritorySection(villages=3))
    wb.step01_territory.notes = "обсудить с айыл окмоту"
    monkeypatch.setattr(wbm, "_now", lambda: datetime(2030, 1, 2, 3, 4, 5))
    second = wb.put_section("step01_territory", wbm.TerritorySection(villages=4))
    assert wb.section("step01_territory") is second and second.villages == 4
    assert second.notes == "обсудить с айыл окмоту" and first.updated_at is not None
    assert second.updated_at == datetime(2030, 1, 2, 3, 4, 5)
    quiz = wb.put_section("quizzes.concept_quiz", wbm.QuizRecord(score=4, total=12, best=9))
    assert wb.section("quizzes.concept_quiz") is quiz and wb.section("quizzes.other") is None


def test_new_workbook_needs_names():
    with pytest.raises(OvopError, match="заполните: «имя слушателя»") as e:
        Workbook.new(trainee="", aiyl_aimak="Ак-Суу", region="Нарын")
    assert "trainee" not in str(e.value)


def test_new_workbook_names_every_empty_field_as_a_trainee_knows_it():
    with pytest.raises(OvopError) as e:
        Workbook.new(trainee="  ", aiyl_aimak="", region="\t")
    assert str(e.value) == ("Чтобы создать рабочую тетрадь, заполните: «имя слушателя», "
                            "«айыл аймак», «область».")


def test_new_workbook_drops_spaces_and_keeps_the_language():
    wb = Workbook.new(trainee=" Айгуль ", aiyl_aimak="Ак-Суу ", region=" Нарынская область",
                      language="en")
    assert (wb.trainee, wb.aiyl_aimak, wb.region, wb.language) == (
        "Айгуль", "Ак-Суу", "Нарынская область", "en")
    assert sample().language == "ru"
    with pytest.raises(OvopError, match="«fr» не поддерживается"):
        Workbook.new(trainee="А", aiyl_aimak="Б", region="В", language="fr")


def test_create_workbook_never_replaces_a_file(tmp_path):
    path = tmp_path / "wb.json"
    assert create_workbook("Айгуль", "Ак-Суу", "Иссык-Кульская область", "en", path) == path
    before = path.read_bytes()
    with pytest.raises(OvopError, match="уже есть, и курс её не перезапишет"):
        create_workbook("Бакыт", "Тепке", "Иссык-Кульская область", path=path)
    assert path.read_bytes() == before and load_workbook(path).language == "en"
    path.write_text("{", encoding="utf-8")        # a damaged file is not replaced either
    with pytest.raises(OvopError, match="уже есть"):
        create_workbook("Бакыт", "Тепке", "Иссык-Кульская область", path=path)
    assert path.read_text(encoding="utf-8") == "{"


def test_missing_file_without_create_says_where_to_create(tmp_path):
    with pytest.raises(OvopError, match="модуле 0"):
        load_workbook(tmp_path / "none.json")


def test_create_if_missing_creates_once(tmp_path):
    path = tmp_path / "wb.json"
    first = load_workbook(path, create_if_missing=dict(trainee="А", aiyl_aimak="Б", region="В"))
    first.step01_territory = wbm.TerritorySection(notes="моя работа")
    save_workbook(first, path)
    again = load_workbook(path, create_if_missing=dict(trainee="X", aiyl_aimak="Y", region="Z"))
    assert again.trainee == "А" and again.step01_territory.notes == "моя работа"


def test_failure_in_the_middle_of_a_save_keeps_previous_file(tmp_path, monkeypatch):
    path = tmp_path / "wb.json"
    wb = sample()
    save_workbook(wb, path)
    before = path.read_bytes()
    wb.trainee = "Новое имя"

    def crash(fd):
        raise OSError("диск отключился")

    monkeypatch.setattr(os, "fsync", crash)
    with pytest.raises(OSError):
        save_workbook(wb, path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["wb.json"]  # no temporary file left


SAVER = """
import sys
from ovop_course.workbook import Workbook, save_workbook, TerritorySection
wb = Workbook.new(trainee="Т", aiyl_aimak="А", region="Р")
wb.step01_territory = TerritorySection(notes="x" * 2_000_000)
print("ready", flush=True)
while True:
    save_workbook(wb, sys.argv[1])
"""


def test_killed_process_leaves_a_readable_file(tmp_path):
    path = tmp_path / "wb.json"
    save_workbook(sample(), path)
    for delay in (0.05, 0.13, 0.31):
        proc = subprocess.Popen([sys.executable, "-c", SAVER, str(path)], stdout=subprocess.PIPE)
        proc.stdout.readline()
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert load_workbook(path).trainee in ("Айгуль Асанова", "Т")


def test_damaged_file_is_reported_kept_and_not_overwritten(tmp_path):
    path = tmp_path / "wb.json"
    path.write_text('{"schema_version": 1, "trainee": "Айгу', encoding="utf-8")
    with pytest.raises(OvopError) as e:
        load_workbook(path)
    message = str(e.value)
    assert "повреждён" in message and "Копия" in message
    copies = list(tmp_path.glob("wb.damaged-*.json"))
    assert len(copies) == 1 and copies[0].read_text(encoding="utf-8") == path.read_text("utf-8")
    with pytest.raises(OvopError, match="не будет перезаписан"):
        save_workbook(sample(), path)
    assert path.read_text(encoding="utf-8").endswith("Айгу")


def test_file_with_wrong_fields_is_reported(tmp_path):
    path = tmp_path / "wb.json"
    path.write_text(json.dumps({"schema_version": 1, "trainee": 5}), encoding="utf-8")
    with pytest.raises(OvopError, match="неверные данные в полях: trainee"):
        load_workbook(path)


def test_newer_version_is_refused_and_untouched(tmp_path):
    path = tmp_path / "wb.json"
    raw = json.loads(sample().model_dump_json())
    raw["schema_version"] = wbm.SCHEMA_VERSION + 1
    path.write_text(json.dumps(raw), encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(OvopError, match="более новой версией"):
        load_workbook(path)
    with pytest.raises(OvopError, match="не будет перезаписан"):
        save_workbook(sample(), path)
    assert path.read_bytes() == before
    assert not list(tmp_path.glob("*.damaged-*"))


def test_older_version_is_migrated(tmp_path, monkeypatch):
    path = tmp_path / "wb.json"
    old = json.loads(sample().model_dump_json())
    old["schema_version"] = 1
    old["learner"] = old.pop("trainee")  # pretend version 1 called it "learner"
    path.write_text(json.dumps(old), encoding="utf-8")

    def rename(raw):
        raw["trainee"] = raw.pop("learner")
        return raw

    monkeypatch.setattr(wbm, "SCHEMA_VERSION", 2)
    monkeypatch.setitem(wbm.MIGRATIONS, 1, rename)
    loaded = load_workbook(path)
    assert loaded.trainee == "Айгуль Асанова" and loaded.schema_version == 2


def test_version_2_workbook_gets_the_default_language(tmp_path):
    """Version 3 added the language of the tools; a workbook made before had Russian."""
    path = tmp_path / "wb.json"
    wb = sample()
    wb.step01_territory = wbm.TerritorySection(villages=3, notes="моя работа")
    old = json.loads(wb.model_dump_json())
    old["schema_version"] = 2
    del old["language"]
    path.write_text(json.dumps(old), encoding="utf-8")
    assert saved_language(path) == "ru"
    assert load_workbook(path) == wb      # the language added, all else as it was


def test_saved_language_is_read_without_side_effects(tmp_path):
    path = tmp_path / "wb.json"
    assert saved_language(path) is None                       # no workbook
    save_workbook(Workbook.new(trainee="А", aiyl_aimak="Б", region="В", language="en"), path)
    assert saved_language(path) == "en"
    for text in (b"{", b"[1]", b'{"schema_version": 3, "language": "fr"}', b"\xff\xfe"):
        path.write_bytes(text)
        assert saved_language(path) is None, text
    raw = json.loads(sample().model_dump_json()) | {"schema_version": wbm.SCHEMA_VERSION + 1,
                                                   "language": "en"}
    path.write_text(json.dumps(raw), encoding="utf-8")
    assert saved_language(path) is None                       # a newer course wrote it
    assert sorted(p.name for p in tmp_path.iterdir()) == ["wb.json"]   # no copy, no lock
    with pytest.raises(OvopError, match="более новой версией"):
        load_workbook(path)                                   # refused as before


def test_version_1_workbook_keeps_its_step_9_notes(tmp_path):
    """Version 1 named step 9's section ``step09_test_batches``; it is read as
    ``step09_batches`` with what it held, and the file is saved in the new version."""
    path = tmp_path / "wb.json"
    old = json.loads(sample().model_dump_json())
    old["schema_version"] = 1
    del old["step09_batches"], old["language"]
    old["step09_test_batches"] = {"updated_at": None, "notes": "партия 1 — 12 банок"}
    path.write_text(json.dumps(old), encoding="utf-8")
    loaded = load_workbook(path)
    assert loaded.schema_version == wbm.SCHEMA_VERSION == 3
    assert loaded.step09_batches.notes == "партия 1 — 12 банок" and loaded.language == "ru"
    save_workbook(loaded, path)
    assert json.loads(path.read_text(encoding="utf-8"))["schema_version"] == 3


def test_default_path_follows_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("OVOP_WORKBOOK", str(tmp_path / "mine.json"))
    assert wbm.workbook_path() == tmp_path / "mine.json"
    monkeypatch.delenv("OVOP_WORKBOOK")
    assert wbm.workbook_path().name == "ovop_workbook.json"


UPDATER = """
import sys
from ovop_course.workbook import QuizRecord, update_workbook
name, path = sys.argv[1], sys.argv[2]
for i in range(25):
    update_workbook(lambda wb: wb.put_section(f"quizzes.{name}-{i}",
                                              QuizRecord(score=i % 5, total=5, best=i % 5)), path)
"""


def test_two_kernels_saving_at_once_keep_both_works(tmp_path):
    path = tmp_path / "wb.json"
    save_workbook(sample(), path)
    kernels = [subprocess.Popen([sys.executable, "-c", UPDATER, name, str(path)])
               for name in ("first", "second")]
    assert [k.wait(timeout=120) for k in kernels] == [0, 0]
    quizzes = load_workbook(path).quizzes
    assert {f"{n}-{i}" for n in ("first", "second") for i in range(25)} == set(quizzes)


def test_a_save_that_waits_too_long_says_so(tmp_path, monkeypatch):
    path = tmp_path / "wb.json"
    save_workbook(sample(), path)
    monkeypatch.setattr(wbm, "LOCK_TIMEOUT", 0.2)
    with wbm._lock(path):
        with pytest.raises(OvopError, match="занята"):
            wbm.update_workbook(lambda wb: None, path)
