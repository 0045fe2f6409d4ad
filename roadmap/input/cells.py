"""Cell parsing: one raw spreadsheet value in, one typed Python value out, per schema type.

Pure functions, no openpyxl. A value that cannot be read raises :class:`CellError` whose message
says what was found and what is expected; the reader adds the sheet and cell.

Decisions worth knowing (they are also in the README's input section):

- Numbers may carry currency signs, thousands separators (``1,250,000``, ``1 250 000``,
  ``1'250'000``, ``1.250.000,50``), a ``k``/``m``/``bn`` suffix and accounting negatives
  ``(1,000)``. A lone comma followed by exactly three digits is a thousands separator
  (``1,250`` = 1250); otherwise it is a decimal comma (``1,5`` = 1.5).
- Percent cells: ``8%``, ``"8 %"`` and ``0.08`` all mean 0.08. A bare number above 1 and up to
  100 (``8``) is read as a percentage (0.08) and the reader warns for every such cell, naming it
  and the value taken, because it is the common slip and the other reading (800 %) is rarely
  meant. A bare number above 100 is refused. 1 and below are fractions (1 = 100 %).
- Dates: real Excel dates, ISO text (``2027-04-01``), a month (``2027-04`` = its 1st day), a quarter
  (``2027-Q2`` = its 1st day) or an Excel serial number. Day/month orders like ``01/04/2027`` are
  refused because they are ambiguous. ``20270401`` (number or text) is the date 2027-04-01, read
  with a warning: it is how dates come out of many systems, and no Excel serial is that large.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import date, datetime, timedelta

from roadmap.domain import Lift
from roadmap.input.schema import Column, normalise_header

# Anything larger is a typo or a broken formula, not a plan input.
MAX_NUMBER = 1e15
MAX_MONEY = 1e13
_EXCEL_EPOCH = date(1899, 12, 30)
# 1950-01-01 .. 9999-12-31: a smaller number in a date cell is a year or a typo (2027 as a serial
# would be 1905-07-19), not a plan date.
_MIN_SERIAL, _MAX_SERIAL = 18264, 2958465


class CellError(ValueError):
    """A cell that cannot be read as its column's type."""

    def __init__(self, message: str, fix: str = "", code: str = "wrong-type") -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix
        self.code = code  # the rule in roadmap.input.rules


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def show(value: object) -> str:
    """A short rendering of a raw value for messages."""
    text = value.isoformat() if isinstance(value, date) else str(value)
    text = text.replace("\n", " ").strip()
    return repr(text if len(text) <= 40 else text[:37] + "...")


def parse_text(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer() and abs(value) < MAX_NUMBER:
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


_SUFFIX = {"k": 1e3, "m": 1e6, "mn": 1e6, "mio": 1e6, "bn": 1e9, "b": 1e9}
_CURRENCY = re.compile(r"^(?:[€$£¥₹]|eur|usd|gbp|chf|sek|nok|dkk)|(?:[€$£¥₹]|eur|usd|gbp|chf)$")
_GROUPED = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_GROUPED_DOT = re.compile(r"^\d{1,3}(?:\.\d{3})+$")


def _separators(s: str) -> str:
    """Drop thousands separators and make the decimal separator a dot."""
    if "," in s and "." in s:
        # The later separator is the decimal one: 1,250.50 or 1.250,50.
        if s.rfind(",") > s.rfind("."):
            return s.replace(".", "").replace(",", ".")
        return s.replace(",", "")
    if "," in s:
        return s.replace(",", "") if _GROUPED.match(s) else s.replace(",", ".")
    if s.count(".") > 1 and _GROUPED_DOT.match(s):
        return s.replace(".", "")
    return s


def _text_to_number(text: str) -> float:
    s = text.strip().lower()
    for ch in ("\u00a0", "\u202f", "\u2009", " ", "'", "’", "_"):
        s = s.replace(ch, "")
    negative = s.startswith("(") and s.endswith(")")
    if negative:
        s = s[1:-1]
    s = s.replace("−", "-").replace("–", "-")
    sign = ""
    if s[:1] in ("+", "-"):
        sign, s = s[0], s[1:]
    s = _CURRENCY.sub("", s)
    if s[:1] in ("+", "-") and not sign:  # €-1,000
        sign, s = s[0], s[1:]
    scale = 1.0
    for suffix in sorted(_SUFFIX, key=len, reverse=True):
        if s.endswith(suffix) and s[: -len(suffix)][-1:].isdigit():
            scale, s = _SUFFIX[suffix], s[: -len(suffix)]
            break
    s = _separators(s)
    if not re.fullmatch(r"(\d+\.?\d*|\.\d+)(e[+-]?\d+)?", s):
        raise CellError(
            f"{show(text)} is not a number", "type a plain number, e.g. 12.5 or 1,250,000"
        )
    number = float(s) * scale
    return -number if (negative or sign == "-") else number


def _finite(number: float, limit: float = MAX_NUMBER) -> float:
    if not math.isfinite(number):
        raise CellError(f"{number} is not a usable number", "type a finite number")
    if abs(number) > limit:
        raise CellError(
            f"{number:.6g} is implausibly large",
            f"check the units; values above {limit:.0e} are refused",
            "implausible-number",
        )
    return number


def parse_number(value: object, limit: float = MAX_NUMBER) -> float:
    if isinstance(value, bool):
        raise CellError(f"{show(value)} is not a number", "type a number")
    if isinstance(value, int | float):
        return _finite(float(value), limit)
    if isinstance(value, date | timedelta):
        raise CellError(f"{show(value)} is a date, not a number", "type a number")
    text = str(value)
    if text.strip().endswith("%"):
        return _finite(_text_to_number(text.strip()[:-1]) / 100.0, limit)
    return _finite(_text_to_number(text), limit)


def parse_money(value: object) -> float:
    return parse_number(value, MAX_MONEY)


def parse_int(value: object) -> int:
    number = parse_number(value)
    if not number.is_integer():
        raise CellError(f"{show(value)} is not a whole number", "type a whole number, e.g. 3")
    return int(number)


class PercentReading(float):
    """A percent value that was typed as a bare number above 1 (``8`` read as 8 %)."""

    __slots__ = ()


def parse_percent(value: object) -> float:
    text = value.strip() if isinstance(value, str) else None
    if text is not None and text.endswith("%"):
        return _finite(_text_to_number(text[:-1]) / 100.0)
    number = parse_number(value)
    if number > 100:
        raise CellError(
            f"{show(value)} is not a percentage (above 100 it cannot be meant as a bare percent)",
            "type it with a % sign, e.g. '150%' for one and a half times, or as a fraction (1.5)",
            "percent-too-large",
        )
    if number > 1:
        return PercentReading(number / 100.0)
    return number


class CompactDate(date):
    """A date typed as the number YYYYMMDD (``20270401``); the reader warns where it read one."""

    __slots__ = ()


def _compact_date(number: float) -> CompactDate | None:
    if not number.is_integer() or not 19_000_101 <= number <= 29_991_231:
        return None
    n = int(number)
    try:
        return CompactDate(n // 10_000, n // 100 % 100, n % 100)
    except ValueError:
        return None


def excel_serial_to_date(serial: float, raw: object = None) -> date:
    if not (_MIN_SERIAL <= serial <= _MAX_SERIAL):
        compact = _compact_date(serial)
        if compact is not None:
            return compact
        shown = show(raw) if raw is not None else f"{serial:g}"
        raise CellError(
            f"{shown} is not a date",
            "type the date as 2027-04-01 (a year alone is not enough) or format the cell as a date",
        )
    return _EXCEL_EPOCH + timedelta(days=int(serial))


_ISO_DAY = re.compile(
    r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_ISO_MONTH = re.compile(r"^(\d{4})[-/.](\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})\s*-?\s*q([1-4])$|^q([1-4])\s*-?\s*(\d{4})$")


def parse_date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise CellError(f"{show(value)} is not a date", "type the date as 2027-04-01")
    if isinstance(value, int | float):
        if not math.isfinite(value):
            raise CellError(f"{value} is not a date", "type the date as 2027-04-01")
        return excel_serial_to_date(float(value), value)
    text = str(value).strip().lower()
    try:
        if m := _ISO_DAY.match(text):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := _ISO_MONTH.match(text):
            return date(int(m[1]), int(m[2]), 1)
        if m := _QUARTER.match(text):
            year, quarter = (m[1], m[2]) if m[1] else (m[4], m[3])
            return date(int(year), 3 * int(quarter) - 2, 1)
    except ValueError:
        raise CellError(f"{show(value)} is not a valid date", "check the day and month") from None
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return excel_serial_to_date(float(text), value)
    raise CellError(
        f"{show(value)} is not a date",
        "type it as 2027-04-01 (year-month-day), 2027-04 or 2027-Q2, or format the cell as a date",
    )


_TRUE = {"yes", "y", "true", "1", "x", "ja", "oui", "si", "✓", "✔"}
_FALSE = {"no", "n", "false", "0", "", "-", "nein", "non"}


def parse_bool(value: object) -> bool:
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellError(f"{show(value)} is not yes or no", "type yes or no (or leave blank for no)")


def parse_choice(value: object, choices: tuple[str, ...]) -> str:
    wanted = normalise_header(parse_text(value))
    for choice in choices:
        if normalise_header(choice) == wanted:
            return choice
    raise CellError(
        f"{show(value)} is not one of the allowed values",
        "use one of: " + ", ".join(choices),
    )


def split_list(value: object) -> list[str]:
    return [part.strip() for part in re.split(r"[,;\n]", parse_text(value)) if part.strip()]


def parse_list(value: object) -> tuple[str, ...]:
    return tuple(split_list(value))


def parse_numbers(value: object) -> tuple[float, ...]:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return (_finite(float(value)),)
    out = []
    for part in split_list(value):
        try:
            out.append(parse_number(part))
        except CellError:
            raise CellError(
                f"{show(part)} in {show(value)} is not a number",
                "separate numbers with commas or semicolons, e.g. '20%, 50%, 30%'",
            ) from None
    return tuple(out)


_LIFT = re.compile(r"^(?P<cap>[^:=]+?)\s*(?:[:=]\s*(?P<amount>[+-]?[\d.]+)\s*)?$")


def parse_lifts(value: object) -> tuple[Lift, ...]:
    lifts = []
    for part in re.split(r"[,;\n]", parse_text(value)):
        if not part.strip():
            continue
        m = _LIFT.match(part.strip())
        if m is None:
            raise CellError(
                f"{show(part.strip())} is not a capability lift",
                "write 'CAP-01: 1, CAP-02: 0.5' (capability id, colon, levels)",
            )
        amount = 1.0 if m["amount"] is None else parse_number(m["amount"])
        lifts.append(Lift(m["cap"].strip(), amount))
    return tuple(lifts)


_PARSERS: dict[str, Callable[[object], object]] = {
    "text": parse_text,
    "id": parse_text,
    "int": parse_int,
    "number": parse_number,
    "money": parse_money,
    "percent": parse_percent,
    "date": parse_date,
    "bool": parse_bool,
    "list": parse_list,
    "numbers": parse_numbers,
    "lifts": parse_lifts,
}


# What Excel shows in a cell whose formula failed; openpyxl reads them as text.
EXCEL_ERRORS = frozenset(
    [
        "#NULL!",
        "#DIV/0!",
        "#VALUE!",
        "#REF!",
        "#NAME?",
        "#NUM!",
        "#N/A",
        "#GETTING_DATA",
        "#SPILL!",
        "#CALC!",
    ]
)


def parse_cell(value: object, column: Column) -> object:
    """The typed value of a non-blank cell for ``column``; raises :class:`CellError`."""
    if isinstance(value, str) and value.strip().upper() in EXCEL_ERRORS:
        raise CellError(
            f"the cell shows the Excel error {value.strip()}",
            "correct the formula, or type the value",
        )
    if column.type == "choice":
        return parse_choice(value, column.choices)
    try:
        parser = _PARSERS[column.type]
    except KeyError:
        raise ValueError(f"schema column {column.key!r} has unknown type {column.type!r}") from None
    return parser(value)


class PercentText(float):
    """A number typed with a % sign ("150%"), kept as its fraction (1.5): it is a percentage
    already, and must never be taken for a bare number and divided by 100 again."""

    __slots__ = ()


def parse_loose(value: object) -> float | str:
    """A scenario value: a number if it reads as one (percent text as a fraction), else text."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    text = parse_text(value)
    try:
        number = parse_number(text)
    except CellError:
        return text
    return PercentText(number) if text.endswith("%") else number
