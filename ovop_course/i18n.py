"""Message catalogue for UI strings.

Catalogues live in ``ovop_course/locales/<lang>.yaml`` as flat ``key: text`` maps, text in
``str.format`` syntax. Russian (``ru``) is the default and, with English (``en``), complete
(a test checks that both have the same keys and the same placeholders); Kyrgyz (``ky``) is
welcome and may be partial: a missing key falls back to Russian.

A trainee chooses the language of the tools in module 0 (the form «start»); the choice is kept
in the workbook, and ``ovop_course.tool()`` follows it. The choice offers the complete languages
and a partial one once its catalogue names itself (key ``i18n.name``): :func:`offered_languages`.

>>> set_language("ru")
>>> t("error.not_a_number", field="Цена", value="abc")
'«Цена»: «abc» — не число. Введите число, например 120 или 12,5.'
>>> set_language("en")
>>> t("error.not_a_number", field="Price", value="abc")
'«Price»: «abc» is not a number. Enter a number such as 120 or 12.5.'
>>> set_language("ru")
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from importlib import resources

import yaml

from . import user_cache
from .errors import OvopError

# libyaml's loader where PyYAML was built with it (10× faster); the same safe rules.
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

LANGUAGES = ("ru", "en", "ky")
DEFAULT_LANGUAGE = "ru"
COMPLETE_LANGUAGES = ("ru", "en")

_state = {"language": DEFAULT_LANGUAGE}


@cache
def catalogue(language: str) -> dict[str, str]:
    """Return the key → text map of one language (read once, then cached).

    An unknown language is refused with a message in the current UI language.
    """
    if language not in LANGUAGES:
        raise OvopError(t("i18n.unknown_language", language=language, known=", ".join(LANGUAGES)))
    text = resources.files("ovop_course").joinpath("locales", f"{language}.yaml").read_text(
        encoding="utf-8"
    )
    return _parsed(text)


def _parsed(text: str) -> dict[str, str]:
    """The YAML catalogue ``text`` as a dict, through a JSON copy kept in the user's cache
    folder under the text's hash (:mod:`~ovop_course.user_cache`: libyaml takes ~20 ms for
    the Russian catalogue in every new kernel, JSON ~1 ms; a changed catalogue has another
    hash, so a copy is never stale). A copy that cannot be read is passed over."""
    copy = user_cache.kept_file("catalogue", text, suffix=".json")
    kept = user_cache.read(copy)
    with contextlib.suppress(ValueError):
        parsed = json.loads(kept) if kept is not None else None
        if isinstance(parsed, dict):
            return parsed
    parsed = yaml.load(text, Loader=SafeLoader) or {}
    user_cache.write(copy, json.dumps(parsed, ensure_ascii=False).encode("utf-8"))
    return parsed


def set_language(language: str) -> None:
    """Choose the UI language for messages and number formatting (``ru``, ``en`` or ``ky``)."""
    catalogue(language)  # validates the name
    _state["language"] = language


def get_language() -> str:
    """The current UI language code."""
    return _state["language"]


@contextmanager
def in_language(language: str) -> Iterator[None]:
    """Messages and numbers in ``language`` inside the block, the language before it after it
    (whatever happens inside)."""
    before = get_language()
    set_language(language)
    try:
        yield
    finally:
        set_language(before)


def offered_languages() -> list[str]:
    """The languages a trainee can choose: the complete ones, and a partial one whose catalogue
    names the language (key ``i18n.name``), in the order of :data:`LANGUAGES`.

    >>> offered_languages()
    ['ru', 'en']
    """
    return [language for language in LANGUAGES
            if language in COMPLETE_LANGUAGES or "i18n.name" in catalogue(language)]


def language_name(language: str) -> str:
    """The name of ``language`` in that language itself, as a trainee looks for it.

    >>> language_name("en"), language_name("ru")
    ('English', 'Русский')
    """
    return catalogue(language).get("i18n.name") or language


def t(key: str, **values: object) -> str:
    """Translate ``key`` into the current language and fill in ``values``.

    Falls back to Russian when the current language lacks the key; an unknown key is a
    programming error and raises KeyError so that tests catch it.
    """
    text = catalogue(get_language()).get(key)
    if text is None:
        text = catalogue(DEFAULT_LANGUAGE)[key]
    return text.format(**values)
