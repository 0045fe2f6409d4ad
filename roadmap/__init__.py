"""roadmap: turn a portfolio spreadsheet into an optimal, scheduled digital roadmap.

The pipeline, one package per stage::

    workbook -> input (read, validate) -> domain.Portfolio -> money (cash flows, metrics)
             -> optimize (greedy, milp: build, solve, extract) -> domain.Plan
             -> analysis (scenarios, frontier, marginal, diff) -> plan_facts
             -> report (workbooks), export (MS Project XML, CSV)

``domain`` and ``errors`` are the ground every stage stands on.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("roadmap")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0+unknown"
