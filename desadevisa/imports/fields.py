"""Reading one cell into a value: each parser takes the raw cell (text from CSV; text,
number, date or None from XLSX) and returns the value or raises ``CellError``.

Decisions, so that files from spreadsheet programs in either language read the same:

- Text is trimmed. A cell that an export made plain text (a leading ``'`` before ``= + - @``,
  SECURITY IN-5) is read back without that quote, so an exported file imports unchanged.
- Numbers use a point for decimals and no thousands separators (``1250.50``). A comma is
  refused rather than guessed: ``1,250`` is 1250 to some and 1.25 to others.
- Yes/no: yes, no, ya, tidak, true, false, y, t, 1, 0 (any case); an XLSX boolean as is.
- Dates: ISO ``YYYY-MM-DD`` (a time part is ignored), or a real XLSX date cell.
- Choices: the stored value (``piece``) or its label in English or Indonesian.
"""

from __future__ import annotations

import datetime
import decimal
import re
from collections.abc import Callable, Iterable
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
NUMBER = re.compile(r"^-?\d+(\.\d+)?\Z")
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


def _number_text(raw: Any) -> str:
    if isinstance(raw, bool):
        raise CellError(_("Give a number."))
    if isinstance(raw, int):
        return str(raw)
    if isinstance(raw, float):
        return repr(raw) if not raw.is_integer() else str(int(raw))
    if isinstance(raw, decimal.Decimal):
        return format(raw, "f")
    value = as_text(raw).replace(" ", "")
    if "," in value:
        raise CellError(
            _("Write numbers with a point for decimals and no thousands separators, e.g. 1250.50.")
        )
    if not NUMBER.match(value):
        raise CellError(_("Give a number."))
    return value


def integer(
    *, minimum: int = 0, maximum: int, required: bool = True, default: int | None = None
) -> Parser:
    def parse(raw: Any) -> int | None:
        if type(raw) is str:
            value = raw.strip()
            # Plain digits, the common case, read as the general path below reads them.
            if value.isdecimal():
                number = int(value)
                _check_range(number, minimum, maximum)
                return number
        if is_empty(raw):
            if default is not None:
                return default
            if required:
                raise CellError(_("This column must not be empty."))
            return None
        value = _number_text(raw)
        if "." in value and value.split(".")[1].strip("0"):
            raise CellError(_("Give a whole number."))
        number = int(value.split(".")[0])
        _check_range(number, minimum, maximum)
        return number

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
) -> Parser:
    quantum = decimal.Decimal(1).scaleb(-places)

    def parse(raw: Any) -> decimal.Decimal | None:
        if is_empty(raw):
            if required:
                raise CellError(_("This column must not be empty."))
            return None
        value = decimal.Decimal(_number_text(raw))
        if value != value.quantize(quantum, rounding=decimal.ROUND_HALF_UP):
            if isinstance(raw, float):
                value = value.quantize(quantum, rounding=decimal.ROUND_HALF_UP)
            else:
                raise CellError(
                    _("At most %(places)s digits after the decimal point.") % {"places": places}
                )
        if more_than_minimum and value <= minimum:
            raise CellError(_("Must be more than %(minimum)s.") % {"minimum": minimum})
        _check_range(value, minimum, maximum)
        return value.quantize(quantum)

    return described(
        parse,
        lambda: (
            gettext(
                "A number with a point for decimals (at most %(places)s after it) and no "
                "thousands separators, e.g. 1250.50."
            )
            % {"places": places}
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
