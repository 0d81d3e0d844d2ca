"""The message catalogue: Russian and English complete and consistent."""

import string

import pytest

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
