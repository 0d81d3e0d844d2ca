"""Files the course keeps in the user's cache folder to start faster next time: the parsed
text catalogue, the pictures of the tools and the steps' lesson-case results (see
:func:`kept_file`).

Everything here is a copy of what the course can compute again: a file that cannot be
read or written is passed over, and a file is named after a hash of all it depends on, so a
copy is never stale. ``OVOP_CACHE`` names another folder; ``OVOP_CACHE=off`` keeps nothing
(the tests that count drawings use it).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from functools import cache
from pathlib import Path

import platformdirs

MAX_FILES = 400  # files kept in one folder; beyond this the oldest quarter is removed


def folder(kind: str) -> Path | None:
    """The cache folder for files of ``kind`` (``"pictures"``, …), or None when the course
    keeps nothing (``OVOP_CACHE=off``)."""
    chosen = os.environ.get("OVOP_CACHE", "")
    if chosen.lower() == "off":
        return None
    root = Path(chosen) if chosen else Path(platformdirs.user_cache_dir("ovop_course"))
    return root / kind


def digest(*parts: object) -> str:
    """A short hash of ``parts`` (their ``repr``: numbers, texts and tuples of them)."""
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()[:24]


def read(path: Path | None) -> bytes | None:
    """The file's bytes, or None (no such file, no folder, not readable)."""
    if path is None:
        return None
    with contextlib.suppress(OSError):
        return path.read_bytes()
    return None


def write_whole(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all (another process may read it now): a
    file of its own first, then put in place in one step; an OSError is the caller's."""
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(f"{path.name}.{os.getpid()}.part")
    part.write_bytes(data)
    os.replace(part, path)


def write(path: Path | None, data: bytes, limit: int | None = None) -> None:
    """Keep a copy: :func:`write_whole`, a folder that cannot be written passed over; with
    ``limit``, the oldest quarter of the folder's files is removed when it holds more."""
    if path is None:
        return
    with contextlib.suppress(OSError):
        write_whole(path, data)
        if limit is not None:
            _prune(path.parent, limit)


def _prune(where: Path, limit: int) -> None:
    files = [entry for entry in os.scandir(where) if entry.is_file()]
    if len(files) <= limit:
        return
    files.sort(key=lambda entry: entry.stat().st_mtime_ns)
    for entry in files[: max(1, len(files) // 4)]:
        with contextlib.suppress(OSError):
            os.remove(entry.path)


@cache
def folder_stamp(root: Path) -> str:
    """A hash of the files under ``root`` (name, size, time of change; not ``__pycache__``):
    a file added, removed or edited gives another stamp."""
    files = sorted((str(p.relative_to(root)), p.stat().st_size, p.stat().st_mtime_ns)
                   for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return digest(files)


@cache
def code_stamp() -> str:
    """A hash of the course's own files (:func:`folder_stamp`) and of the versions of the
    libraries that draw and keep its results (matplotlib, pandas, numpy): what a kept copy
    depends on besides what it names. Another version of the course, or a file edited, gives
    another stamp."""
    import matplotlib
    import numpy
    import pandas

    return digest(matplotlib.__version__, pandas.__version__, numpy.__version__,
                  folder_stamp(Path(__file__).resolve().parent))


def kept_file(kind: str, *key: object, suffix: str = "") -> Path | None:
    """Where the copy of what ``key`` names is kept (None: nothing is kept)."""
    where = folder(kind)
    return None if where is None else where / f"{digest(*key)}{suffix}"
