"""Money: the calendar, cost and benefit profiles, cash flows and their metrics, and the weighted
criteria. Pure numpy: no pulp, no openpyxl; the only user of numpy-financial.

- ``calendar``: periods, dates and fiscal years from the Settings
- ``profiles``: how a cost or a benefit spreads over the periods
- ``finance``: cash flows per initiative and start, and their metrics; built from ``series``
  (CashFlows), ``offsets`` (flows by offset from the start), ``rates`` (hurdle rate,
  escalation, MIRR rates), ``starts`` (values for every start) and ``metrics`` (NPV, IRR, MIRR,
  ROI, payback)
- ``criteria``: weighted scores (direct or AHP weights)
"""
