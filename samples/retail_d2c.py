"""Sample: a €1.5bn consumer retailer moving half of its sales to digital channels in three years.

Money in the tables below is in thousands of euros (€k); ``generate.py`` scales it. Benefits are
yearly gross margin (revenue) or savings at full ramp-up; legacy run costs retired come from the
Systems table. Quarterly plan, 2027–2029.
"""

from __future__ import annotations

SETTINGS = {
    "plan_start": "2027-01-01",
    "portfolio_name": "Retail D2C digital roadmap",
    "period": "quarter",
    "horizon": 12,
    "currency": "EUR",
    "discount_rate": 0.09,
    "objective": "npv",
    "time_limit": 60,
    "fiscal_year_start_month": 1,
    # roadmap risk: PERT ranges, estimates of one owner function moving together at 40 %
    "risk_distribution": "pert",
    "risk_correlation": 0.4,
}

# fmt: off
CAPABILITIES = [
    # id       name                              area          now target importance owner
    ("CAP-01", "Digital storefront (web & app)", "technology",  2, 4, 3.0, "Digital"),
    ("CAP-02", "Customer data & identity",       "data",        1, 4, 3.0, "Marketing"),
    ("CAP-03", "Personalisation",                "marketing",   1, 3, 2.0, "Marketing"),
    ("CAP-04", "Loyalty & CRM",                  "marketing",   2, 4, 2.5, "Marketing"),
    ("CAP-05", "Order management & fulfilment",  "operations",  1, 4, 3.0, "Operations"),
    ("CAP-06", "Inventory visibility",           "operations",  2, 4, 2.0, "Operations"),
    ("CAP-07", "Payments & checkout",            "technology",  2, 4, 1.5, "Digital"),
    ("CAP-08", "In-store digital tools",         "operations",  1, 3, 1.5, "Operations"),
    ("CAP-09", "Analytics & reporting",          "data",        2, 4, 2.0, "Data"),
    ("CAP-10", "Marketing automation",           "marketing",   2, 4, 1.5, "Marketing"),
    ("CAP-11", "Integration & APIs",             "technology",  1, 4, 2.5, "IT"),
    ("CAP-12", "Security & compliance",          "technology",  2, 4, 2.0, "IT"),
]

TEAMS = [
    # id      name                      function             FTE  over-allocation  cost/FTE-year (k)
    ("MKT",   "Marketing",              "Marketing",          6, 0.10, 95),
    ("DIG",   "Product & digital",      "Digital",            9, 0.10, 115),
    ("ENG",   "IT & engineering",       "IT",                14, 0.05, 120),
    ("DATA",  "Data & analytics",       "Data & analytics",   4, 0.0, 125),
    ("MOPS",  "Marketing operations",   "Marketing",          4, 0.0, 90),
    ("STORE", "Store operations",       "Operations",         6, 0.0, 70),
]

CAPACITY_CHANGES = [
    # team    from          to            FTE  note
    ("DIG",   "2027-04-01", None,         11, "Two product engineers join"),
    ("ENG",   "2027-10-01", "2027-12-31",  8, "Peak-season change freeze"),
    ("ENG",   "2028-10-01", "2028-12-31",  8, "Peak-season change freeze"),
    ("ENG",   "2029-10-01", "2029-12-31",  8, "Peak-season change freeze"),
    ("STORE", "2027-10-01", "2027-12-31",  2, "Peak trading: stores focus on selling"),
    ("STORE", "2028-10-01", "2028-12-31",  2, "Peak trading: stores focus on selling"),
    ("STORE", "2029-10-01", "2029-12-31",  2, "Peak trading: stores focus on selling"),
]

SYSTEMS = [
    # id       name                                   run €k/yr owner
    ("SYS-01", "Legacy e-commerce platform (on-prem)", 650, "Digital"),
    ("SYS-02", "On-premise POS estate",                480, "Operations"),
    ("SYS-03", "Legacy email service",                 120, "Marketing"),
    ("SYS-04", "Old loyalty database",                 210, "Marketing"),
    ("SYS-05", "Batch file integration hub",           180, "IT"),
    ("SYS-06", "Legacy BI cubes",                      150, "Data"),
    ("SYS-07", "Call-centre order entry tool",          90, "Operations"),
]

INITIATIVES = [
    # id       name                                        owner        team    dur capex opex  run   rev  save ramp life prob  pool
    ("D2C-01", "Cloud data platform",                      "Data",       "DATA",  3,  900, 150, 220,    0, 120, 2, 6, 0.90, "IT"),
    ("D2C-02", "ERP integration layer (APIs & events)",    "IT",         "ENG",   3, 1100, 120, 140,    0, 260, 2, 7, 0.90, "IT"),
    ("D2C-03", "Customer data platform - buy (SaaS)",      "Marketing",  "DATA",  2,  350, 220, 420, 1500,   0, 2, 5, 0.85, "MKT"),
    ("D2C-04", "Customer data platform - build in-house",  "Data",       "DATA",  4, 1500, 150, 180, 1500,   0, 3, 7, 0.65, "IT"),
    ("D2C-05", "Personalisation engine (web & app)",       "Marketing",  "DIG",   2,  500, 100, 250, 2200,   0, 3, 5, 0.70, "MKT"),
    ("D2C-06", "Consent & preference centre",              "Marketing",  "MOPS",  1,  150,  60,  45,    0,  40, 0, 5, 1.00, "MKT"),
    ("D2C-07", "Order management - buy (SaaS OMS)",        "Operations", "ENG",   3, 1400, 300, 380,  600, 400, 2, 7, 0.85, "IT"),
    ("D2C-08", "Order management - extend ERP module",     "Operations", "ENG",   2,  600, 150, 120,    0, 250, 1, 5, 0.90, "IT"),
    ("D2C-09", "Click-and-collect & ship-from-store",      "Operations", "DIG",   2,  700, 200, 150, 2600,   0, 3, 6, 0.80, "IT"),
    ("D2C-10", "Real-time inventory visibility",           "Operations", "ENG",   2,  450,  80, 110,    0, 350, 2, 6, 0.85, "IT"),
    ("D2C-11", "Headless web commerce replatform",         "Digital",    "DIG",   4, 2600, 400, 520, 2200,   0, 3, 7, 0.80, "IT"),
    ("D2C-12", "D2C mobile ordering app",                  "Digital",    "DIG",   3, 1300, 200, 260, 2400,   0, 4, 5, 0.75, "IT"),
    ("D2C-13", "Checkout & payments (wallets, BNPL)",      "Digital",    "DIG",   2,  450,  60,  90,  900,   0, 2, 5, 0.85, "IT"),
    ("D2C-14", "Loyalty platform relaunch",                "Marketing",  "MKT",   3,  800, 250, 350, 1800,   0, 4, 6, 0.70, "MKT"),
    ("D2C-15", "Loyalty launch campaign",                  "Marketing",  "MKT",   1,    0, 900,   0,  500,   0, 2, 2, 0.70, "MKT"),
    ("D2C-16", "Marketing automation (email replacement)", "Marketing",  "MOPS",  4,  300, 120, 180,  700,  60, 2, 5, 0.85, "MKT"),
    ("D2C-17", "Cloud POS replacement (POS end of life)",  "Operations", "STORE", 4, 2800, 500, 420,    0, 200, 1, 8, 0.95, "IT"),
    ("D2C-18", "PCI DSS v4 remediation",                   "IT",         "ENG",   2,  350, 150,  40,    0,   0, 0, 5, 1.00, "IT"),
    ("D2C-19", "Cloud landing zone & single sign-on",      "IT",         "ENG",   2,  400,  50,  60,    0,  80, 0, 6, 1.00, "IT"),
    ("D2C-20", "Self-service BI & KPI dashboards",         "Data",       "DATA",  2,  250,  80, 120,    0, 300, 2, 5, 0.85, "IT"),
    ("D2C-21", "Demand forecasting & auto-replenishment",  "Operations", "DATA",  3,  700, 150, 200,    0, 1100, 3, 6, 0.60, "IT"),
    ("D2C-22", "Marketing mix modelling & attribution",    "Marketing",  "DATA",  2,  200, 150,  80,  500,   0, 2, 4, 0.60, "MKT"),
    ("D2C-23", "Product information management (PIM)",    "Digital",    "DIG",   2,  500,  90, 130,  400, 200, 2, 6, 0.85, "IT"),
    ("D2C-24", "Returns portal & reverse logistics",       "Operations", "ENG",   2,  350,  70,  90,    0, 600, 2, 5, 0.80, "IT"),
    ("D2C-25", "Customer-service chatbot & self-service",  "Digital",    "DIG",   2,  300,  80, 150,    0, 450, 2, 4, 0.75, "IT"),
    ("D2C-26", "Retail media network",                     "Marketing",  "MKT",   2,  400, 150, 200, 1200,   0, 4, 5, 0.55, "MKT"),
    ("D2C-27", "Store clienteling app",                    "Operations", "STORE", 2,  600,  80, 140,  900,   0, 3, 5, 0.65, "IT"),
    ("D2C-28", "Store associate digital training",         "Operations", "STORE", 1,    0, 350,   0,    0,   0, 0, 3, 1.00, "IT"),
    ("D2C-29", "Social commerce & live shopping",          "Marketing",  "MKT",   1,  150, 250, 120,  500,   0, 2, 3, 0.60, "MKT"),
    ("D2C-30", "Smart fitting rooms & AR mirrors",         "Operations", "STORE", 3, 1800, 300, 300,  400,   0, 4, 5, 0.50, "IT"),
    ("D2C-31", "Virtual flagship store (3D / metaverse)",  "Marketing",  "MKT",   2,  900, 400, 250,  200,   0, 4, 3, 0.40, "MKT"),
    ("D2C-32", "Marketplace integration (Amazon, Zalando)", "Digital",   "DIG",   2,  350, 100, 160, 1100,   0, 3, 4, 0.70, "MKT"),
]

# What each initiative needs from each team while it is built: "TEAM FTE[@profile]".
STAFFING = {
    "D2C-01": "DATA 3, ENG 2",
    "D2C-02": "ENG 5",
    "D2C-03": "DATA 2, MOPS 1",
    "D2C-04": "DATA 4, ENG 2",
    "D2C-05": "DIG 3, DATA 1, MKT 1",
    "D2C-06": "MOPS 1, ENG 1",
    "D2C-07": "ENG 5, STORE 1",
    "D2C-08": "ENG 3",
    "D2C-09": "DIG 3, STORE 3, ENG 1",
    "D2C-10": "ENG 3",
    "D2C-11": "DIG 6@60%/100%/100%/60%, ENG 3",
    "D2C-12": "DIG 5, MKT 1",
    "D2C-13": "DIG 3",
    "D2C-14": "MKT 2, DIG 2, MOPS 1",
    "D2C-15": "MKT 3, MOPS 1",
    "D2C-16": "MOPS 2",
    "D2C-17": "STORE 4@50%/100%/100%/100%, ENG 3",
    "D2C-18": "ENG 3",
    "D2C-20": "DATA 2",
    "D2C-21": "DATA 3, ENG 1",
    "D2C-22": "DATA 2, MKT 1",
    "D2C-23": "DIG 2, MKT 1",
    "D2C-24": "ENG 2, STORE 1",
    "D2C-25": "DIG 2",
    "D2C-26": "MKT 2, DIG 1",
    "D2C-27": "STORE 2, DIG 1",
    "D2C-28": "STORE 2",
    "D2C-29": "MKT 2",
    "D2C-30": "STORE 2, DIG 2",
    "D2C-31": "MKT 2, DIG 2",
    "D2C-32": "DIG 2, ENG 1",
}

LIFTS = {
    "D2C-01": "CAP-09: 1, CAP-02: 0.5",
    "D2C-02": "CAP-11: 2",
    "D2C-03": "CAP-02: 1.5",
    "D2C-04": "CAP-02: 1.5, CAP-09: 0.5",
    "D2C-05": "CAP-03: 2",
    "D2C-06": "CAP-12: 0.5, CAP-02: 0.5",
    "D2C-07": "CAP-05: 1.5, CAP-06: 1",
    "D2C-08": "CAP-05: 1",
    "D2C-09": "CAP-05: 1, CAP-08: 0.5",
    "D2C-10": "CAP-06: 1",
    "D2C-11": "CAP-01: 1.5, CAP-07: 0.5",
    "D2C-12": "CAP-01: 1",
    "D2C-13": "CAP-07: 1.5",
    "D2C-14": "CAP-04: 2",
    "D2C-16": "CAP-10: 2",
    "D2C-17": "CAP-08: 1, CAP-07: 0.5",
    "D2C-18": "CAP-12: 1",
    "D2C-20": "CAP-09: 1",
    "D2C-21": "CAP-06: 1",
    "D2C-22": "CAP-09: 0.5, CAP-10: 0.5",
    "D2C-23": "CAP-01: 0.5",
    "D2C-24": "CAP-05: 0.5",
    "D2C-27": "CAP-08: 1",
    "D2C-30": "CAP-08: 0.5",
}

# Everything else an initiative row carries, by column key.
EXTRA = {
    "D2C-01": {"retires": "SYS-06", "cost_profile": "40%, 40%, 20%"},
    "D2C-02": {"retires": "SYS-05"},
    "D2C-03": {"alternative_group": "CDP", "description": "SaaS CDP: fast, higher licence cost."},
    "D2C-04": {"alternative_group": "CDP", "description": "Built on the data platform: cheaper to run, slower and riskier."},
    "D2C-07": {"alternative_group": "OMS", "retires": "SYS-07", "description": "Distributed order management; the route to store fulfilment."},
    "D2C-08": {"alternative_group": "OMS", "description": "Cheaper, but cannot route orders to stores."},
    "D2C-11": {"retires": "SYS-01", "cost_profile": "15%, 35%, 35%, 15%"},
    "D2C-14": {"bundle": "LOYALTY", "retires": "SYS-04"},
    "D2C-15": {"bundle": "LOYALTY", "description": "Launch media for the new programme; worthless without the platform."},
    "D2C-16": {"status": "in progress", "actual_start": "2026-07-01", "retires": "SYS-03"},
    "D2C-17": {"mandatory": True, "must_finish_by": "2029-06-30", "retires": "SYS-02",
               "cost_profile": "20%, 30%, 30%, 20%", "description": "Vendor support for the current POS ends mid-2029."},
    "D2C-18": {"mandatory": True, "must_finish_by": "2027-12-31", "description": "Card-payment compliance; certification due end of 2027."},
    "D2C-19": {"status": "done", "description": "Delivered in 2026."},
    "D2C-26": {"earliest_start": "2028-01-01"},
    "D2C-27": {"bundle": "CLIENTELING"},
    "D2C-28": {"bundle": "CLIENTELING"},
}

DEPENDENCIES = [
    # predecessor -> successor, lag (quarters)
    ("D2C-01", "D2C-04", 0),  # an in-house CDP is built on the data platform
    ("D2C-01", "D2C-05", 0),  # personalisation models run on the platform's event data
    ("D2C-01", "D2C-20", 0),
    ("D2C-01", "D2C-21", 0),
    ("D2C-01", "D2C-22", 0),
    ("D2C-02", "D2C-07", 0),  # the OMS talks to the ERP through the integration layer
    ("D2C-02", "D2C-10", 0),
    ("D2C-02", "D2C-11", 0),
    ("D2C-02", "D2C-14", 0),
    ("D2C-02", "D2C-24", 0),
    ("D2C-07", "D2C-09", 0),  # only the SaaS OMS can route orders to stores
    ("D2C-10", "D2C-21", 0),
    ("D2C-10", "D2C-32", 0),
    ("D2C-11", "D2C-12", 0),  # the app uses the new commerce APIs
    ("D2C-11", "D2C-13", 0),
    ("D2C-11", "D2C-26", 1),  # retail media needs a quarter of traffic data on the new site
    ("D2C-14", "D2C-15", 0),  # the launch campaign runs when the new programme is live
    ("D2C-16", "D2C-06", 0),
    ("D2C-17", "D2C-27", 0),  # clienteling runs on the new POS
]

BUDGETS = [
    # period        fiscal year pool   kind     €k
    (None,          2027,       "IT",  "total", 5200),
    (None,          2028,       "IT",  "total", 6000),
    (None,          2029,       "IT",  "total", 5800),
    (None,          2027,       "MKT", "total", 2000),
    (None,          2028,       "MKT", "total", 2400),
    (None,          2029,       "MKT", "total", 2200),
    ("2027-01-01",  None,       "IT",  "capex",  900),  # capex approvals pending in Q1
    ("2027-04-01",  None,       "IT",  "capex", 1400),
]

CRITERIA = [
    # id      name               weight direction            min max
    ("FIT",  "Strategic fit",    35, "higher is better",    0, 10),
    ("CUST", "Customer impact",  30, "higher is better",    0, 10),
    ("RISK", "Delivery risk",    20, "lower is better",     0, 10),
    ("TTV",  "Time to value",    15, "higher is better",    0, 10),
]

SCORES = {
    #          FIT CUST RISK TTV
    "D2C-01": (9, 3, 4, 3),
    "D2C-02": (8, 2, 5, 3),
    "D2C-03": (8, 7, 3, 8),
    "D2C-04": (8, 7, 7, 4),
    "D2C-05": (8, 8, 5, 6),
    "D2C-06": (6, 5, 2, 8),
    "D2C-07": (9, 7, 5, 5),
    "D2C-08": (5, 3, 3, 7),
    "D2C-09": (9, 9, 4, 7),
    "D2C-10": (7, 6, 3, 6),
    "D2C-11": (10, 8, 7, 4),
    "D2C-12": (9, 9, 5, 5),
    "D2C-13": (7, 8, 3, 8),
    "D2C-14": (8, 8, 5, 5),
    "D2C-15": (6, 7, 2, 9),
    "D2C-16": (6, 5, 2, 7),
    "D2C-17": (7, 6, 6, 4),
    "D2C-18": (5, 3, 2, 5),
    "D2C-19": (6, 1, 1, 5),
    "D2C-20": (6, 2, 2, 8),
    "D2C-21": (7, 4, 7, 4),
    "D2C-22": (6, 2, 5, 6),
    "D2C-23": (6, 6, 3, 6),
    "D2C-24": (6, 7, 3, 7),
    "D2C-25": (5, 6, 4, 7),
    "D2C-26": (6, 4, 6, 4),
    "D2C-27": (6, 7, 5, 5),
    "D2C-28": (4, 3, 1, 5),
    "D2C-29": (5, 6, 4, 8),
    "D2C-30": (3, 6, 8, 2),
    "D2C-31": (2, 3, 8, 3),
    "D2C-32": (7, 5, 4, 7),
}

SCENARIOS = [
    # scenario                  description                                            parameter          target  value   from
    ("Budget cut 20%",          "All budgets 20% lower.",                              "budget_scale",    None,   "80%",  None),
    ("Hire two data engineers", "Data & analytics grows from 4 to 6 FTE in Q2 2027.",  "capacity_change", "DATA", "+2",   "2027-04-01"),
    ("Benefit haircut 25%",     "Every benefit 25% lower than the business cases.",   "benefit_haircut", None,   "25%",  None),
    ("Cost overrun 15%",        "Build costs 15% over estimate.",                      "cost_overrun",    None,   "15%",  None),
    ("Capability first",        "Close the capability gaps rather than maximise NPV.", "objective",       None,   "capability", None),
]
# fmt: on

# Risk analysis (roadmap risk). Ranges: build cost and benefit as shares of the estimate
# (low, likely, high), duration in quarters; None = the plan's value.
# fmt: off
UNCERTAINTY = [
    # id       cost low likely high   benefit low likely high   duration low likely high
    ("D2C-01",  0.90, 1.00, 1.35,     0.80, 1.00, 1.10,         3, 3, 4),
    ("D2C-02",  0.95, 1.05, 1.50,     0.85, 1.00, 1.05,         3, 3, 5),
    ("D2C-03",  0.95, 1.00, 1.15,     0.60, 0.95, 1.15,         2, 2, 3),
    ("D2C-05",  0.90, 1.00, 1.25,     0.50, 0.90, 1.20,         2, 2, 3),
    ("D2C-07",  0.95, 1.10, 1.60,     0.70, 1.00, 1.10,         3, 3, 5),
    ("D2C-09",  0.90, 1.00, 1.30,     0.60, 1.00, 1.20,         2, 2, 3),
    ("D2C-11",  0.95, 1.10, 1.70,     0.60, 0.95, 1.15,         4, 4, 6),
    ("D2C-12",  0.90, 1.05, 1.50,     0.50, 0.90, 1.20,         3, 3, 4),
    ("D2C-14",  0.90, 1.00, 1.30,     0.50, 0.90, 1.15,         3, 3, 4),
    ("D2C-16",  0.95, 1.00, 1.20,     0.80, 1.00, 1.10,         None, 4, 5),
    ("D2C-17",  0.95, 1.05, 1.40,     None, None, None,         4, 4, 6),
    ("D2C-18",  0.90, 1.00, 1.30,     None, None, None,         2, 2, 3),
    ("D2C-21",  0.90, 1.00, 1.40,     0.40, 0.90, 1.25,         3, 3, 5),
    ("D2C-26",  0.90, 1.00, 1.20,     0.30, 0.85, 1.30,         2, 2, 3),
]

RISKS = [
    # name                                       prob  initiatives                owner        cost  benefit delay
    ("ERP vendor upgrade slips",                 0.25, "D2C-02, D2C-08",          None,        0.15, 0.00,   1),
    ("Peak-season freeze runs long",             0.30, None,                      "Digital",   0.05, 0.00,   1),
    ("Consumer demand softens",                  0.20, None,                      "Marketing", 0.00, -0.20,  0),
    ("Data engineers hard to hire",              0.35, "D2C-01, D2C-04, D2C-21",  None,        0.10, 0.00,   1),
    ("POS hardware supply delay",                0.15, "D2C-17",                  None,        0.05, 0.00,   1),
]
# fmt: on
