"""The PMO round trip: what the PMO reported (``model``), whether it is plausible (``checks``),
the portfolio re-based at the status date for a re-forecast (``rebase``, ``budgets``) and the
status report measured against the plan that was handed out (``status``).

Pure data and pure functions: the readers (a plan workbook, an MS Project XML file) live in
``roadmap.input``, the Status sheet in ``roadmap.report``, the command chain in ``roadmap.app``.
"""
