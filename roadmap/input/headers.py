"""Header matching: which schema column a header cell names, once its units are set aside.

Headers are matched ignoring case, spaces and punctuation (``schema.normalise_header``). Finance
teams also write the unit into the header — "Capex (EUR)", "Capex [€]", "Capex, EUR",
"Capex in EUR", "Useful life (years)" — so a header that matches a column once units in brackets,
after a comma or "in", or a currency code or sign are taken out is that column. What was taken out
is returned as the header's unit, so that a scale ("Capex (€k)", "EUR '000") can be refused
instead of silently reading thousands as units.

A header that matches nothing but is close to a required or money column is probably that column
misspelt; ``close_column`` finds it so the reader can name it.
"""

from __future__ import annotations

import difflib
import re

from roadmap.input.schema import Column, Sheet, header_lookup, normalise_header

_BRACKETED = re.compile(r"[\(\[\{]([^\)\]\}]*)[\)\]\}]")
_TAIL = re.compile(r"^(?P<name>.*?)\s*(?:,|;|\s-\s|\bin\b)\s*(?P<unit>[^,;]*)$", re.IGNORECASE)
_SIGNS = "€$£¥₹"
_CODES = frozenset(
    [
        "eur",
        "usd",
        "gbp",
        "chf",
        "sek",
        "nok",
        "dkk",
        "jpy",
        "cad",
        "aud",
        "nzd",
        "pln",
        "czk",
        "huf",
        "inr",
        "cny",
        "hkd",
        "sgd",
        "zar",
        "brl",
        "mxn",
    ]
)
_CODE_WORD = re.compile(r"^(?:[A-Z]{3}|[€$£¥₹])$")
_SCALES = frozenset(
    [
        "k",
        "000",
        "000s",
        "thousand",
        "thousands",
        "th",
        "m",
        "mn",
        "mio",
        "mm",
        "million",
        "millions",
        "bn",
        "b",
        "billion",
        "billions",
    ]
)


def is_currency(unit: str) -> bool:
    """A currency sign or code alone: '€', 'EUR', 'usd'."""
    s = unit.strip()
    return bool(s) and (s in _SIGNS or s.lower() in _CODES or bool(_CODE_WORD.match(s)))


def _drop_currency(text: str) -> tuple[str, str]:
    """Currency signs anywhere, and a currency code as the first or last word, taken out."""
    found = [ch for ch in text if ch in _SIGNS]
    text = "".join(ch for ch in text if ch not in _SIGNS)
    words = text.split()
    if len(words) > 1 and is_currency(words[-1]):
        found.append(words.pop())
    if len(words) > 1 and is_currency(words[0]):
        found.append(words.pop(0))
    return " ".join(words), " ".join(found)


def _candidates(text: str) -> list[tuple[str, str]]:
    """(name, unit) readings of a header, the plain one first."""
    out = [(text, "")]
    units = " ".join(m.strip() for m in _BRACKETED.findall(text))
    bare = _BRACKETED.sub(" ", text).strip()
    if units:
        out.append((bare, units))
    if m := _TAIL.match(bare):
        out.append((m["name"], f"{units} {m['unit']}".strip()))
    name, signs = _drop_currency(bare)
    if signs:
        out.append((name, f"{units} {signs}".strip()))
    return out


_LOOKUPS: dict[int, tuple[Sheet, dict[str, Column]]] = {}


def _lookup(sheet: Sheet) -> dict[str, Column]:
    cached = _LOOKUPS.get(id(sheet))
    if cached is None or cached[0] is not sheet:
        cached = _LOOKUPS[id(sheet)] = (sheet, header_lookup(sheet))
    return cached[1]


def match_header(text: object, sheet: Sheet) -> tuple[Column | None, str]:
    """The column ``text`` names (or None) and the unit written in the header ('' if none)."""
    lookup = _lookup(sheet)
    candidates = _candidates(str(text).strip())
    # Every unit the header carries, even when it matched as it stands ('Capex [$]' normalises
    # to 'capex'): a scale or another currency must not go unseen.
    units = " ".join(dict.fromkeys(u for _, u in candidates if u))
    for name, _ in candidates:
        col = lookup.get(normalise_header(name))
        if col is not None:
            return col, units
    return None, ""


_SIGN_CODES = {
    "€": {"EUR"},
    "£": {"GBP"},
    "¥": {"JPY", "CNY"},
    "₹": {"INR"},
    "$": {"USD", "AUD", "CAD", "NZD", "SGD", "HKD", "MXN"},
}


def other_currency(unit: str, currency: str) -> str | None:
    """The currency a header's unit names when it is not ``currency`` ('USD' in 'Capex (USD)'
    for a EUR workbook), else None."""
    wanted = currency.strip().upper()
    for ch, codes in _SIGN_CODES.items():
        if ch in unit and wanted not in codes:
            return ch
    for word in re.findall(r"[A-Za-z]+", unit):
        if word.lower() in _CODES and word.upper() != wanted:
            return word.upper()
    return None


def is_scaled(unit: str) -> bool:
    """The unit says the amounts are in thousands, millions …: 'EUR k', '€m', "'000", 'k€'."""
    s = unit.lower()
    for ch in _SIGNS:
        s = s.replace(ch, " ")
    words = re.findall(r"[a-z]+|\d+s?", s)
    words = [w for w in words if w not in _CODES]
    return any(w in _SCALES for w in words)


def close_column(text: object, sheet: Sheet) -> Column | None:
    """A required or money column that ``text`` probably misspells, or None."""
    watched = [c for c in sheet.columns if c.required or c.type == "money"]
    stripped = _candidates(str(text).strip())[-1][0]
    wanted = normalise_header(stripped)
    if len(wanted) < 3:
        return None
    names = {normalise_header(n): c for c in watched for n in (c.header, *c.aliases)}
    close = difflib.get_close_matches(wanted, list(names), n=1, cutoff=0.75)
    if close:
        return names[close[0]]
    # "Total capex", "Capex total", "Capex 2027": a money column's name inside the header.
    for name, col in names.items():
        if col.type == "money" and len(name) >= 5 and name in wanted:
            return col
    return None
