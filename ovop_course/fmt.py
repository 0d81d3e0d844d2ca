"""Locale-aware formatting of numbers, money (сом, KGS), percentages and dates (Babel).

Rules:
- numbers use the locale's grouping and decimal separator (ru: ``1 234,5``);
- money is the number with ``digits`` decimals followed by the local currency word from the
  message catalogue (``сом`` in Russian and Kyrgyz, ``som`` in English). Babel's own Russian
  currency symbol for KGS is the code ``KGS``, which trainees do not write, hence the word;
- percentages take a share (0.256 → ``25,6%``);
- dates use the locale's long or short form;
- a number a trainee types is read by :func:`parse_number`: ``12,5`` is twelve and a half in
  every UI language (the browser's own number field would read it as 125).

>>> from ovop_course.i18n import set_language
>>> set_language("ru")
>>> fmt_number(1234567.891, digits=1)
'1\\xa0234\\xa0567,9'
>>> fmt_money(1250)
'1\\xa0250\\xa0сом'
>>> fmt_percent(0.256)
'25,6%'
>>> import datetime
>>> fmt_date(datetime.date(2026, 11, 26))
'26 ноября 2026\\u202fг.'
"""

from __future__ import annotations

import datetime as _dt

from babel.dates import format_date
from babel.numbers import NumberFormatError, format_decimal, format_percent, parse_decimal

from .checks import number
from .errors import OvopError
from .i18n import get_language, t

__all__ = ["fmt_number", "fmt_money", "fmt_percent", "fmt_date", "month_labels", "fmt_typed",
           "parse_number"]

_LOCALES = {"ru": "ru_RU", "en": "en_US", "ky": "ky_KG"}


def _locale() -> str:
    return _LOCALES[get_language()]


LIMIT = 1e15  # larger amounts are typing mistakes, and Babel's decimals fail on some of them


def _value(value: object) -> float:
    return number(value, t("fmt.value"), low=-LIMIT, high=LIMIT)


def _pattern(digits: object, percent: bool = False) -> str:
    """Babel pattern with grouping and exactly ``digits`` (0–6) decimals."""
    digits = int(number(digits, t("fmt.digits"), low=0, high=6, whole=True))
    return "#,##0" + ("." + "0" * digits if digits else "") + ("%" if percent else "")


def fmt_number(value: float, digits: int = 0) -> str:
    """A number with grouping and exactly ``digits`` decimals in the current locale."""
    return format_decimal(_value(value), format=_pattern(digits), locale=_locale())


def fmt_money(value: float, digits: int = 0) -> str:
    """An amount in som: the formatted number, a no-break space and the currency word."""
    return t("fmt.money", amount=fmt_number(value, digits))


def fmt_percent(share: float, digits: int = 1) -> str:
    """A share (0.25) as a percentage (25,0%) with ``digits`` decimals."""
    return format_percent(_value(share), format=_pattern(digits, percent=True), locale=_locale())


def fmt_date(value: _dt.date, form: str = "long") -> str:
    """A date in the locale's ``long`` (26 ноября 2026 г.) or ``short`` form."""
    if not isinstance(value, _dt.date):
        raise OvopError(t("error.not_a_date", value=value))
    if form not in ("long", "short", "medium"):
        raise OvopError(t("error.date_form", form=form))
    return format_date(value, format=form, locale=_locale())


def month_labels(form: str = "short") -> list[str]:
    """The twelve month names of the UI language: ``short`` (янв … дек, for axes and narrow
    tables) or ``long`` (январь … декабрь, for sentences)."""
    if form not in ("short", "long"):
        raise OvopError(t("error.month_form", form=form))
    return [m.strip() for m in t(f"months_{form}").split(",")]


def fmt_typed(value: float) -> str:
    """A number as a trainee would type it back: grouped, up to six decimals, no trailing
    zeros (``12,5``, ``1 095``); :func:`parse_number` reads it back exactly.

    >>> from ovop_course.i18n import set_language
    >>> set_language("ru")
    >>> fmt_typed(12.5), fmt_typed(1095), parse_number(fmt_typed(1234.5678), "x")
    ('12,5', '1\xa0095', 1234.5678)
    """
    return format_decimal(_value(value), format="#,##0.######", locale=_locale())


def parse_number(text: object, field: str) -> float:
    """A number typed by a trainee, read with Babel in the UI language, then in Russian.

    Decimal comma or point (``12,5`` = ``12.5``), grouping by spaces or no-break spaces
    (``1 200,5``), a sign; in English, ``1,200`` is one thousand two hundred (Babel's strict
    reading of grouping), ``1,5`` is one and a half (not English grouping, so read as Russian).
    Anything else — text, an empty field, «NaN», infinity — is OvopError naming ``field``.

    >>> from ovop_course.i18n import set_language
    >>> set_language("ru")
    >>> parse_number("12,5", "Цена"), parse_number(" 1 200,5 ", "Цена"), parse_number("-3", "t")
    (12.5, 1200.5, -3.0)
    >>> parse_number("сто", "Цена")
    Traceback (most recent call last):
    ...
    ovop_course.errors.OvopError: «Цена»: «сто» — не число. Введите число, например 120 или 12,5.
    """
    typed = str(text).strip().replace(" ", "\u00a0")
    for locale in dict.fromkeys((_locale(), _LOCALES["ru"])):
        try:
            value = float(parse_decimal(typed, locale=locale, strict=True))
        except (NumberFormatError, ValueError, ArithmeticError):
            continue
        return number(value, field)
    raise OvopError(t("error.not_a_number", field=field, value=str(text).strip()))
