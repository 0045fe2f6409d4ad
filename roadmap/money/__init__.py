"""Money: the calendar, cost and benefit profiles, cash flows and their metrics, and the weighted
criteria. Pure numpy: no pulp, no openpyxl; the only user of numpy-financial.

- ``calendar``: periods, dates and fiscal years from the Settings
- ``profiles``: how a cost or a benefit spreads over the periods
- ``finance``: cash flows per initiative and start, NPV, IRR, ROI, payback
- ``criteria``: weighted scores (direct or AHP weights)
"""
