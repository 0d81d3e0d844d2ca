"""The copies kept in the user's cache folder: pictures a new kernel shows without drawing
them, never a stale one, and nothing lost or broken when the folder cannot be used."""

from __future__ import annotations

import os

import pandas as pd
import pytest

from ovop_course import charts, data, user_cache
from ovop_course.i18n import in_language
from ovop_course.ui import make_tool


@pytest.fixture
def cache_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("OVOP_CACHE", str(tmp_path))
    return tmp_path / "pictures"


def counting(picture: bytes = b"<svg/>"):
    calls = []

    def draw():
        calls.append(1)
        return picture
    return draw, calls


def test_a_shelved_picture_is_shown_by_the_next_kernel_without_drawing(cache_folder):
    draw, calls = counting(b"<svg>1</svg>")
    assert charts.PictureCache(4, shelf="test").get(("a", 1.5), draw) == b"<svg>1</svg>"
    again = charts.PictureCache(4, shelf="test")          # a new kernel: nothing in memory
    assert again.get(("a", 1.5), draw) == b"<svg>1</svg>" and calls == [1]
    assert len(list(cache_folder.glob("*.svg"))) == 1 and not list(cache_folder.glob("*.part"))


@pytest.mark.parametrize("change", ["key", "shelf", "language", "code"])
def test_anything_a_picture_depends_on_changed_draws_it_anew(cache_folder, monkeypatch, change):
    draw, calls = counting()
    charts.PictureCache(4, shelf="test").get(("a", 1.5), draw)
    key, shelf = ("a", 1.5), "test"
    if change == "key":
        key = ("a", 1.25)
    elif change == "shelf":
        shelf = "other"
    elif change == "code":   # another version of the course, or a file of it edited
        monkeypatch.setattr(user_cache, "code_stamp", lambda: "another")
    if change == "language":
        with in_language("en"):
            charts.PictureCache(4, shelf=shelf).get(key, draw)
    else:
        charts.PictureCache(4, shelf=shelf).get(key, draw)
    assert calls == [1, 1]


def test_a_file_added_or_edited_changes_the_folder_stamp(tmp_path):
    (tmp_path / "charts.py").write_text("x = 1\n")
    stamps = [user_cache.folder_stamp.__wrapped__(tmp_path)]
    (tmp_path / "ideas.py").write_text("y = 2\n")
    stamps.append(user_cache.folder_stamp.__wrapped__(tmp_path))
    (tmp_path / "charts.py").write_text("x = 10\n")
    stamps.append(user_cache.folder_stamp.__wrapped__(tmp_path))
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "charts.pyc").write_bytes(b"\0")   # compiled: the same
    stamps.append(user_cache.folder_stamp.__wrapped__(tmp_path))
    assert len(set(stamps)) == 3 and stamps[2] == stamps[3]


def test_without_a_usable_folder_pictures_are_drawn_and_nothing_breaks(tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("")                          # a file where the folder should be
    for folder in (str(blocked / "x"), "off"):
        monkeypatch.setenv("OVOP_CACHE", folder)
        draw, calls = counting()
        assert charts.PictureCache(4, shelf="test").get(("a",), draw) == b"<svg/>"
        assert charts.PictureCache(4, shelf="test").get(("a",), draw) == b"<svg/>"
        assert calls == [1, 1]
    monkeypatch.setenv("OVOP_CACHE", "off")
    assert user_cache.folder("pictures") is None


def test_a_picture_without_a_shelf_is_kept_in_memory_only(cache_folder):
    draw, calls = counting()
    charts.PictureCache(4).get(("a",), draw)
    charts.PictureCache(4).get(("a",), draw)
    assert calls == [1, 1] and not cache_folder.exists()


def test_the_folder_keeps_at_most_its_limit_the_oldest_removed_first(cache_folder):
    for n in range(12):
        path = user_cache.kept_file("pictures", n, suffix=".svg")
        user_cache.write(path, b"<svg/>", limit=10)
        os.utime(path, ns=(n * 10**9, n * 10**9))   # written one after the other
    left = sorted(cache_folder.glob("*.svg"), key=lambda p: p.stat().st_mtime_ns)
    assert 1 <= len(left) <= 10
    newest = user_cache.kept_file("pictures", 11, suffix=".svg")
    assert newest in left and user_cache.kept_file("pictures", 0, suffix=".svg") not in left


def test_the_costing_tool_in_a_new_kernel_shows_its_first_picture_without_drawing(
        cache_folder, monkeypatch):
    from ovop_course.charts.technology import TornadoChart
    first = make_tool("technology", lesson=True).charts.images["tornado"].value
    charts._kept.cache_clear()                     # a new kernel: no kept chart, no picture
    drawn = []
    original = TornadoChart._drawn
    monkeypatch.setattr(TornadoChart, "_drawn",
                        lambda self, *a: drawn.append(1) or original(self, *a))
    again = make_tool("technology", lesson=True)
    assert again.charts.images["tornado"].value == first and drawn == []
    again.set(price_som=215)                        # a new setting is drawn
    assert drawn == [1] and again.charts.images["tornado"].value != first


_CALLS: list[int] = []


def _lesson_numbers():
    _CALLS.append(1)
    return {"table": pd.DataFrame({"x": [1.5, 2.5]}), "total": 4.0}


def test_a_lesson_result_is_read_by_the_next_kernel_and_each_call_has_its_own_copy(
        cache_folder):
    _CALLS.clear()
    first = data.lesson_case(_lesson_numbers)()
    first["table"].loc[0, "x"] = 99.0                       # a caller that changes it …
    again = data.lesson_case(_lesson_numbers)               # … and a new kernel
    assert again()["table"]["x"].tolist() == [1.5, 2.5] and _CALLS == [1]
    assert list((cache_folder.parent / "results").glob("*.pickle"))


@pytest.mark.parametrize("change", ["code", "data", "language", "damaged"])
def test_a_lesson_result_is_computed_anew_when_what_it_depends_on_changed(
        cache_folder, monkeypatch, change):
    _CALLS.clear()
    data.lesson_case(_lesson_numbers)()
    if change == "code":
        monkeypatch.setattr(user_cache, "code_stamp", lambda: "another")
    elif change == "data":
        monkeypatch.setattr(user_cache, "folder_stamp", lambda _folder: "edited")
    elif change == "damaged":
        for kept in (cache_folder.parent / "results").glob("*.pickle"):
            kept.write_bytes(b"not a pickle")
    if change == "language":
        with in_language("en"):
            result = data.lesson_case(_lesson_numbers)()
    else:
        result = data.lesson_case(_lesson_numbers)()
    assert result["total"] == 4.0 and _CALLS == [1, 1]


def test_a_lesson_result_that_cannot_be_pickled_is_still_returned(cache_folder):
    result = data.lesson_case(lambda: (lambda: 1))()        # a function: no pickle
    assert result() == 1
