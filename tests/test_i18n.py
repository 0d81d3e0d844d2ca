"""The message catalogue: Russian and English complete and consistent."""

import ast
import re
import string
from pathlib import Path

import pytest

import ovop_course
from ovop_course import i18n
from ovop_course.errors import OvopError


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("language", i18n.COMPLETE_LANGUAGES)
def test_complete_languages_have_every_key(language):
    keys = set(i18n.catalogue("ru")) | set(i18n.catalogue("en"))
    missing = keys - set(i18n.catalogue(language))
    assert not missing, f"{language} lacks {sorted(missing)}"


def test_placeholders_agree_between_languages():
    ru, en = i18n.catalogue("ru"), i18n.catalogue("en")
    differ = [k for k in ru if placeholders(ru[k]) != placeholders(en[k])]
    assert not differ


def test_kyrgyz_keys_exist_in_russian():
    assert set(i18n.catalogue("ky")) <= set(i18n.catalogue("ru"))


def test_missing_kyrgyz_key_falls_back_to_russian():
    i18n.set_language("ky")
    try:
        assert i18n.t("tool.save") == i18n.catalogue("ru")["tool.save"]
    finally:
        i18n.set_language("ru")


def test_russian_messages_are_russian():
    def words(text):  # the message without its placeholders
        return "".join(literal for literal, *_ in string.Formatter().parse(text))

    latin_only = [k for k, v in i18n.catalogue("ru").items()
                  if any(c.isalpha() for c in words(v))
                  and not any("а" <= c <= "я" for c in words(v).lower())]
    assert not latin_only


def test_unknown_language_is_refused_in_russian():
    with pytest.raises(OvopError, match="не поддерживается"):
        i18n.set_language("fr")
    assert i18n.get_language() == "ru"


def test_unknown_language_is_refused_in_the_current_language():
    i18n.set_language("en")
    try:
        with pytest.raises(OvopError, match="«fr» is not supported. Choose one of: ru, en, ky"):
            i18n.set_language("fr")
        assert i18n.get_language() == "en"
    finally:
        i18n.set_language("ru")


def test_the_complete_languages_are_offered_by_their_own_names():
    assert i18n.offered_languages() == ["ru", "en"]
    assert [i18n.language_name(code) for code in i18n.offered_languages()] == ["Русский",
                                                                               "English"]


def test_a_partial_language_is_offered_once_its_catalogue_names_it(monkeypatch):
    real = i18n.catalogue

    def named(language):
        return {**real(language), "i18n.name": "Кыргызча"} if language == "ky" else real(language)

    monkeypatch.setattr(i18n, "catalogue", named)
    assert i18n.offered_languages() == ["ru", "en", "ky"]
    assert i18n.language_name("ky") == "Кыргызча"


def literal_values(tree: ast.AST) -> set[str]:
    """The strings listed in ``Literal[...]`` annotations: category values of the data."""
    return {node.value
            for sub in ast.walk(tree)
            if isinstance(sub, ast.Subscript) and getattr(sub.value, "id", None) == "Literal"
            for node in ast.walk(sub.slice) if isinstance(node, ast.Constant)}


def hard_coded_texts(path: Path) -> list[str]:
    """Cyrillic string constants of a module that are neither docstrings (bare string
    statements) nor data category values (the values of its ``Literal[...]`` types)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.value) for node in ast.walk(tree)
                  if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)}
    allowed = literal_values(tree)
    found = [node for node in ast.walk(tree)
             if isinstance(node, ast.Constant) and isinstance(node.value, str)
             and re.search("[а-яё]", node.value, re.IGNORECASE)
             and id(node) not in docstrings and node.value not in allowed]
    return [f"{path.name}:{node.lineno}: {node.value!r}"
            for node in sorted(found, key=lambda node: node.lineno)]


@pytest.mark.parametrize("module", ["schemas", "data", "i18n", "fmt", "errors", "heap",
                                    "notebook"])
def test_messages_come_from_the_catalogue(module):
    """A message a trainee can see is a catalogue key, never Russian text in the code."""
    path = Path(ovop_course.__file__).parent / f"{module}.py"
    found = hard_coded_texts(path)
    assert not found, "Russian text outside the catalogue:\n" + "\n".join(found)


# --- the catalogue's JSON copy in the user's cache folder ------------------------------------
@pytest.fixture
def cache_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("OVOP_CACHE", str(tmp_path))
    return tmp_path / "catalogue"


def test_the_catalogue_is_read_from_its_json_copy_the_next_time(cache_folder, monkeypatch):
    text = 'a.key: "Текст"\nb.key: "{n} шт."\n'
    assert i18n._parsed(text) == {"a.key": "Текст", "b.key": "{n} шт."}
    (copy,) = cache_folder.glob("*.json")
    monkeypatch.setattr(i18n.yaml, "load", lambda *_a, **_k: pytest.fail("YAML read again"))
    assert i18n._parsed(text) == {"a.key": "Текст", "b.key": "{n} шт."}
    assert not list(cache_folder.glob("*.part"))


def test_a_changed_catalogue_is_read_anew_and_a_bad_copy_passed_over(cache_folder):
    assert i18n._parsed('a.key: "один"\n') == {"a.key": "один"}
    assert i18n._parsed('a.key: "два"\n') == {"a.key": "два"}       # another hash, another copy
    for copy in cache_folder.glob("*.json"):
        copy.write_text("[не json", encoding="utf-8")
    assert i18n._parsed('a.key: "два"\n') == {"a.key": "два"}


def test_a_cache_folder_that_cannot_be_written_changes_nothing(tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("")                    # a file where the folder should be
    monkeypatch.setenv("OVOP_CACHE", str(blocked / "x"))
    assert i18n._parsed('a.key: "Текст"\n') == {"a.key": "Текст"}
    monkeypatch.setenv("OVOP_CACHE", "off")   # nothing kept
    assert i18n._parsed('a.key: "Текст"\n') == {"a.key": "Текст"}
