"""roadmap: turn a portfolio spreadsheet into an optimal, scheduled digital roadmap.

The pipeline, one module (or package) per stage::

    workbook -> io.reader -> validate -> domain.Portfolio -> finance -> milp (build, solve, extract)
             -> domain.Plan -> report (plan workbook)
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("roadmap")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0+unknown"
