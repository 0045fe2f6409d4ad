"""Workbook -> ``Portfolio``, or findings that name a cell. With ``roadmap.report`` and
``roadmap.export``, the only package that touches openpyxl.

- ``schema``: the input workbook declared as data (sheets, columns, types, units, bounds)
- ``rules``: every finding's code, severity and wording
- ``validate`` and ``checks``: the business rules on a read portfolio

- ``reader``: file checks, sheets and header rows -> raw tables (``read_workbook``,
  ``load_portfolio`` are the entry points)
- ``cells``: one cell value -> one typed value, per schema type
- ``build``: raw tables -> ``Portfolio``
- ``tables``: where things are (sheet titles, column letters) for pointing at cells
- ``template``: writes input workbooks and the blank template
- ``docs`` and ``readme``: the README's input-workbook tables, generated from the schema
"""

from __future__ import annotations

from typing import Any

__all__ = ["load_portfolio", "read_workbook"]


def __getattr__(name: str) -> Any:
    # Lazy, so importing the template writer does not pull in the reader.
    if name in __all__:
        from roadmap.input import reader

        return getattr(reader, name)
    raise AttributeError(name)
