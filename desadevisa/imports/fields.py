"""Reading one cell into a value: each parser takes the raw cell (text from CSV; text,
number, date or None from XLSX) and returns the value or raises ``CellError``.

Decisions, so that files from spreadsheet programs in either language read the same:

- Text is trimmed. A cell that an export made plain text (a leading ``'`` before ``= + - @``,
  SECURITY IN-5) is read back without that quote, so an exported file imports unchanged.
- Numbers in text are read in the file's style (``NumberStyle``: its language's, see
  ``engine.file_numbers``): ``1.250,50`` in Indonesian, ``1,250.50`` in English, marks between
  thousands optional. Anything else, such as ``1,5`` in an English file, is refused rather than
  guessed. Number cells of XLSX are numbers already. Every number is checked against the
  column's range before anything else, so ``1e999`` (infinity) or 30 digits are "too large".
- Yes/no: yes, no, ya, tidak, true, false, y, t, 1, 0 (any case); an XLSX boolean as is.
- Dates: ISO ``YYYY-MM-DD`` (a time part is ignored), or a real XLSX date cell.
- Choices: the stored value (``piece``) or its label in English or Indonesian.
"""

from __future__ import annotations

import datetime
import decimal
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import pycountry
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from desadevisa.core.bounds import EARLIEST_DATE
from desadevisa.core.lists import FORMULA_TRIGGERS
from desadevisa.imports.reading import TooLong

YES_WORDS = frozenset({"yes", "ya", "true", "y", "t", "1", "benar"})
NO_WORDS = frozenset({"no", "tidak", "false", "n", "f", "0", "salah"})
ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})([T ][0-9:.]+)?\Z")


class CellError(Exception):
    """A cell's value is not acceptable; the message says why."""

    def __init__(self, message) -> None:
        super().__init__(message)
        self.message = message


Parser = Callable[[Any], Any]


def described(parse: Parser, help: Callable[[], str]) -> Parser:
    """Attach ``help()``, the explanation of accepted values shown in the XLSX template."""
    parse.help = help
    return parse


def is_empty(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and raw.strip() == "")


def as_text(raw: Any) -> str:
    if type(raw) is str:
        # Every CSV cell: the same as below, without the other types' checks.
        text = raw.strip()
        if text[:1] == "'" and text[1:].startswith(FORMULA_TRIGGERS):
            text = text[1:]
        return text
    if isinstance(raw, TooLong):
        raise CellError(
            _("The text is too long (%(length)s characters).") % {"length": f"{raw.length:,}"}
        )
    if raw is None:
        return ""
    if isinstance(raw, datetime.datetime):
        raw = raw.date() if raw.time() == datetime.time() else raw
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = str(raw).strip()
    if text.startswith("'") and text[1:].startswith(FORMULA_TRIGGERS):
        text = text[1:]
    return text


def text(*, max_length: int, required: bool = False) -> Parser:
    def parse(raw: Any) -> str:
        value = as_text(raw)
        if required and not value:
            raise CellError(_("This column must not be empty."))
        if len(value) > max_length:
            raise CellError(
                _("At most %(limit)s characters (this has %(length)s).")
                % {"limit": f"{max_length:,}", "length": f"{len(value):,}"}
            )
        return value

    return described(
        parse, lambda: gettext("Text, at most %(limit)s characters.") % {"limit": max_length}
    )


def pattern(regex: re.Pattern, message, *, required: bool = True) -> Parser:
    def parse(raw: Any) -> str:
        value = as_text(raw)
        if not value and not required:
            return ""
        if not value:
            raise CellError(_("This column must not be empty."))
        if not regex.fullmatch(value):
            raise CellError(message)
        return value

    return described(parse, lambda: str(message))


@dataclass(frozen=True)
class NumberStyle:
    """How a file writes numbers in text: its decimal mark and the mark between thousands
    (optional, in groups of three)."""

    language: str
    decimal_mark: str
    group_mark: str

    @cached_property
    def pattern(self) -> re.Pattern:
        group, point = re.escape(self.group_mark), re.escape(self.decimal_mark)
        return re.compile(
            rf"(-?)([0-9]+|[1-9][0-9]{{0,2}}(?:{group}[0-9]{{3}})+)(?:{point}([0-9]+))?", re.ASCII
        )

    def example(self) -> str:
        """``1250.50 or 1,250.50`` in this style."""
        return gettext("%(plain)s or %(grouped)s") % {
            "plain": f"1250{self.decimal_mark}50",
            "grouped": f"1{self.group_mark}250{self.decimal_mark}50",
        }

    def misread(self) -> str:
        if self.decimal_mark == ",":
            message = _(
                "Write the number as this file's numbers are read, the Indonesian way: a comma "
                "for decimals and, if any, points between thousands, e.g. %(example)s."
            )
        else:
            message = _(
                "Write the number as this file's numbers are read, the English way: a point "
                "for decimals and, if any, commas between thousands, e.g. %(example)s."
            )
        return message % {"example": self.example()}


ENGLISH = NumberStyle(language="en", decimal_mark=".", group_mark=",")
INDONESIAN = NumberStyle(language="id", decimal_mark=",", group_mark=".")


def number_style(language: str) -> NumberStyle:
    """The style of numbers written in ``language`` (English for any other)."""
    return INDONESIAN if language.split("-")[0] == "id" else ENGLISH


# Significant digits of a number cell as a spreadsheet program shows it; a float's further
# digits are artefacts of binary fractions (0.1 + 0.2).
CELL_DIGITS = 15
NUMBER_LIKE = frozenset("0123456789.,- ")


def _number_of(raw: Any, style: NumberStyle) -> decimal.Decimal:
    """The number in a cell, possibly infinite (its range check refuses it); CellError when
    it is none."""
    if isinstance(raw, bool):
        raise CellError(_("Give a number."))
    if isinstance(raw, int):
        return decimal.Decimal(raw)
    if isinstance(raw, float):
        if math.isnan(raw):
            raise CellError(_("Give a number."))
        if math.isinf(raw):
            return decimal.Decimal(raw)
        return decimal.Decimal(format(raw, f".{CELL_DIGITS}g"))
    if isinstance(raw, decimal.Decimal):
        if raw.is_nan():
            raise CellError(_("Give a number."))
        return raw
    value = as_text(raw)
    match = style.pattern.fullmatch(value)
    if match is None:
        if any(character.isdigit() for character in value) and NUMBER_LIKE.issuperset(value):
            raise CellError(style.misread())
        raise CellError(_("Give a number."))
    sign, whole, fraction = match.groups()
    return decimal.Decimal(f"{sign}{whole.replace(style.group_mark, '')}.{fraction or '0'}")


def integer(
    *,
    minimum: int = 0,
    maximum: int,
    required: bool = True,
    default: int | None = None,
    numbers: NumberStyle = ENGLISH,
) -> Parser:
    def parse(raw: Any) -> int | None:
        if type(raw) is str:
            value = raw.strip()
            # Plain digits, the common case, read as the general path below reads them.
            if value.isascii() and value.isdigit() and len(value) <= CELL_DIGITS:
                number = int(value)
                _check_range(number, minimum, maximum)
                return number
        if is_empty(raw):
            if default is not None:
                return default
            if required:
                raise CellError(_("This column must not be empty."))
            return None
        number = _number_of(raw, numbers)
        # The range first: an infinite or 30-digit number is too large, not just not whole.
        _check_range(number, minimum, maximum)
        if number != number.to_integral_value():
            raise CellError(_("Give a whole number."))
        return int(number)

    parse.minimum, parse.maximum = minimum, maximum
    return described(
        parse,
        lambda: (
            gettext("A whole number from %(minimum)s to %(maximum)s.")
            % {"minimum": minimum, "maximum": maximum}
        ),
    )


def decimal_number(
    *,
    places: int,
    maximum: decimal.Decimal,
    minimum: decimal.Decimal = decimal.Decimal(0),
    more_than_minimum: bool = False,
    required: bool = True,
    numbers: NumberStyle = ENGLISH,
) -> Parser:
    quantum = decimal.Decimal(1).scaleb(-places)

    def parse(raw: Any) -> decimal.Decimal | None:
        if is_empty(raw):
            if required:
                raise CellError(_("This column must not be empty."))
            return None
        value = _number_of(raw, numbers)
        if more_than_minimum and value <= minimum:
            raise CellError(_("Must be more than %(minimum)s.") % {"minimum": minimum})
        # The range first: quantizing a number of more digits than the context holds raises.
        _check_range(value, minimum, maximum)
        if value != value.quantize(quantum, rounding=decimal.ROUND_HALF_UP):
            raise CellError(
                _("At most %(places)s digits after the decimal mark.") % {"places": places}
            )
        return value.quantize(quantum)

    parse.maximum, parse.places = maximum, places
    return described(
        parse,
        lambda: (
            gettext(
                "A number with at most %(places)s digits after the decimal mark, e.g. %(example)s."
            )
            % {"places": places, "example": numbers.example()}
        ),
    )


def _check_range(value, minimum, maximum) -> None:
    if value < minimum:
        if minimum == 0:
            raise CellError(_("Cannot be negative."))
        raise CellError(_("Must be at least %(minimum)s.") % {"minimum": minimum})
    if value > maximum:
        raise CellError(_("Must be at most %(maximum)s.") % {"maximum": f"{maximum:,}"})


def boolean(*, default: bool) -> Parser:
    def parse(raw: Any) -> bool:
        if isinstance(raw, bool):
            return raw
        if is_empty(raw):
            return default
        word = as_text(raw).casefold()
        if word in YES_WORDS:
            return True
        if word in NO_WORDS:
            return False
        raise CellError(_("Write yes or no (ya or tidak)."))

    return described(parse, lambda: gettext("yes or no (ya or tidak)."))


def date(*, required: bool = True, not_after_today: datetime.date | None = None) -> Parser:
    def parse(raw: Any) -> datetime.date | None:
        if is_empty(raw):
            if required:
                raise CellError(_("This column must not be empty."))
            return None
        if isinstance(raw, datetime.datetime):
            value = raw.date()
        elif isinstance(raw, datetime.date):
            value = raw
        else:
            match = ISO_DATE.match(as_text(raw))
            if not match:
                raise CellError(_("Write the date as YYYY-MM-DD, e.g. 2025-03-31."))
            try:
                value = datetime.date(*(int(part) for part in match.groups()[:3]))
            except ValueError as error:
                raise CellError(_("This date does not exist.")) from error
        if value < EARLIEST_DATE:
            raise CellError(_("The date is too far in the past."))
        if not_after_today is not None and value > not_after_today:
            raise CellError(_("The date is in the future."))
        return value

    return described(
        parse,
        lambda: gettext("A date as YYYY-MM-DD, e.g. 2025-03-31, or a date cell."),
    )


def choice(choices: Iterable[tuple[str, Any]], *, default: str | None = None) -> Parser:
    """The stored value of a choice, from its value or its label in either language."""
    choices = list(choices)
    accepted: dict[str, str] = {}
    for language in ("en", "id"):
        with translation.override(language):
            for value, label in choices:
                accepted.setdefault(str(label).casefold(), value)
    for value, _label in choices:
        accepted[str(value).casefold()] = value
    allowed = ", ".join(str(value) for value, _label in choices)

    def parse(raw: Any) -> str:
        if is_empty(raw):
            if default is not None:
                return default
            raise CellError(_("This column must not be empty."))
        found = accepted.get(as_text(raw).casefold())
        if found is None:
            raise CellError(_("Choose one of: %(allowed)s.") % {"allowed": allowed})
        return found

    return described(parse, lambda: gettext("One of: %(allowed)s.") % {"allowed": allowed})


def currency(*, default: str = "USD") -> Parser:
    def parse(raw: Any) -> str:
        if is_empty(raw):
            return default
        code = as_text(raw).upper()
        if len(code) != 3 or pycountry.currencies.get(alpha_3=code) is None:
            raise CellError(_("Give an ISO 4217 currency code, such as USD or IDR."))
        return code

    return described(
        parse, lambda: gettext("An ISO 4217 currency code, such as USD or IDR (USD if empty).")
    )
