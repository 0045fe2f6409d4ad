"""Sample: a multi-brand consumer group rationalising its marketing-technology stack.

Seventeen legacy martech tools (two email providers, a cookie-based DMP, three analytics tools,
two CMSs …) can be retired by about eighty candidate initiatives over 24 months. Money in €k
(``generate.py`` scales it); durations and ramp-ups in months; the fiscal year starts in April.
Criteria carry no weights: they come from the pairwise comparison at the end.
"""

from __future__ import annotations

SETTINGS = {
    "plan_start": "2027-01-01",
    "portfolio_name": "Martech rationalisation",
    "period": "month",
    "horizon": 24,
    "currency": "EUR",
    "discount_rate": 0.08,
    "objective": "npv",
    "time_limit": 120,
    "fiscal_year_start_month": 4,
    "change_limit": 10,
    # roadmap risk: triangular ranges, estimates of one owner function moving together at 30 %
    "risk_distribution": "triangular",
    "risk_correlation": 0.3,
}

# fmt: off
CAPABILITIES = [
    # id      name                                   area          now target importance owner
    ("MC-01", "Customer identity & consent",          "data",        1, 4, 3.0, "Privacy"),
    ("MC-02", "Unified customer profile",             "data",        1, 4, 3.0, "Data"),
    ("MC-03", "Audience segmentation & activation",   "marketing",   2, 4, 2.5, "Marketing"),
    ("MC-04", "Email & lifecycle messaging",          "marketing",   2, 4, 2.5, "Marketing"),
    ("MC-05", "Personalisation & testing",            "marketing",   1, 3, 2.0, "Digital"),
    ("MC-06", "Content management & assets",          "technology",  2, 4, 2.0, "Digital"),
    ("MC-07", "Tag & event governance",               "data",        1, 4, 2.0, "Technology"),
    ("MC-08", "Web & app analytics",                  "data",        2, 4, 2.0, "Data"),
    ("MC-09", "Measurement & attribution",            "data",        1, 3, 2.5, "Data"),
    ("MC-10", "Paid media operations",                "marketing",   2, 4, 1.5, "Marketing"),
    ("MC-11", "Social publishing & listening",        "marketing",   2, 3, 1.0, "Marketing"),
    ("MC-12", "Marketing workflow & planning",        "operations",  1, 3, 1.5, "Operations"),
    ("MC-13", "Privacy & compliance",                 "technology",  2, 4, 2.5, "Privacy"),
    ("MC-14", "Martech vendor governance",            "operations",  1, 3, 1.0, "Operations"),
]

TEAMS = [
    # id      name                          function             FTE/month over-allocation  cost/FTE-year (k)
    ("BRAND", "Brand & media marketing",    "Marketing",          8, 0.10, 100),
    ("CRM",   "CRM & lifecycle",            "Marketing",          4, 0.10, 105),
    ("MOPS",  "Marketing operations",       "Marketing",          7, 0.0, 95),
    ("SOC",   "Social & community",         "Marketing",          4, 0.0, 85),
    ("WEB",   "Web & content",              "Digital",            6, 0.05, 100),
    ("MTECH", "Martech engineering",        "Technology",         6, 0.05, 125),
    ("DATA",  "Data engineering",           "Data & analytics",   4, 0.0, 130),
    ("ANA",   "Analytics & insight",        "Data & analytics",   4, 0.0, 115),
    ("SEC",   "Security & privacy",         "Technology",         3, 0.0, 135),
    ("PROC",  "Procurement & vendor mgmt",  "Finance",            3, 0.0, 90),
]

CAPACITY_CHANGES = [
    # team    from          to            FTE  note
    ("DATA",  "2027-10-01", None,          6, "Two data engineers join"),
    ("MTECH", "2027-08-01", "2027-08-31",  4, "Summer holidays"),
    ("WEB",   "2027-08-01", "2027-08-31",  4, "Summer holidays"),
    ("MTECH", "2028-08-01", "2028-08-31",  4, "Summer holidays"),
    ("WEB",   "2028-08-01", "2028-08-31",  4, "Summer holidays"),
    ("MOPS",  "2028-01-01", None,          9, "Brand teams' campaign managers move into marketing operations"),
]

SYSTEMS = [
    # id       name                                        run €k/yr owner
    ("SYS-01", "Email service provider (brand A)",           420, "Marketing"),
    ("SYS-02", "Email service provider (brand B)",           260, "Marketing"),
    ("SYS-03", "Data management platform (3rd-party cookies)", 380, "Marketing"),
    ("SYS-04", "Self-hosted tag manager",                     90, "Technology"),
    ("SYS-05", "Web analytics suite (legacy licence)",       310, "Data"),
    ("SYS-06", "Web analytics tool (brand B)",               140, "Data"),
    ("SYS-07", "Heatmap & session replay tool",               75, "Digital"),
    ("SYS-08", "On-premise CMS (brand sites)",               520, "Digital"),
    ("SYS-09", "Microsite CMS",                              180, "Digital"),
    ("SYS-10", "Social publishing tool",                      95, "Marketing"),
    ("SYS-11", "Social listening tool",                      120, "Marketing"),
    ("SYS-12", "Legacy DAM (file shares and plug-in)",       110, "Digital"),
    ("SYS-13", "SMS gateway",                                 60, "Marketing"),
    ("SYS-14", "Campaign planning database",                  50, "Operations"),
    ("SYS-15", "Client-side A/B testing tool",               150, "Digital"),
    ("SYS-16", "Survey tools (several licences)",             70, "Operations"),
    ("SYS-17", "Last-click attribution tool",                200, "Data"),
]

INITIATIVES = [
    # id      name                                           owner         team   dur capex opex  run   rev  save ramp life prob  pool
    # data & identity foundations
    ("MT-01", "Cloud data warehouse for marketing data",      "Data",       "DATA",   6,  600, 120, 180,    0,  150, 3, 6, 0.90, "TECH"),
    ("MT-02", "Customer identity resolution",                 "Data",       "DATA",   5,  450,  80, 120,  600,    0, 4, 6, 0.80, "TECH"),
    ("MT-03", "Composable CDP on the warehouse",              "Marketing",  "DATA",   8,  900, 150, 220, 1800,    0, 6, 6, 0.70, "TECH"),
    ("MT-04", "Packaged CDP (SaaS)",                          "Marketing",  "MTECH",  5,  400, 250, 650, 1800,    0, 4, 5, 0.80, "MKT"),
    ("MT-05", "Consent management platform (all brands)",     "Privacy",    "SEC",    3,  150,  60,  90,    0,    0, 0, 5, 1.00, "TECH"),
    ("MT-06", "Server-side event collection",                 "Technology", "MTECH",  4,  250,  40,  70,  300,    0, 3, 5, 0.85, "TECH"),
    ("MT-07", "Marketing data model & golden record",         "Data",       "DATA",   4,  300,  60,  40,    0,  100, 2, 6, 0.85, "TECH"),
    ("MT-08", "Cloud tag management",                         "Technology", "MTECH",  5,  120,  40,  80,    0,   60, 1, 5, 0.95, "TECH"),
    ("MT-09", "Reverse-ETL audience sync",                    "Marketing",  "DATA",   3,  120,  30,  60,  400,    0, 3, 5, 0.80, "MKT"),
    ("MT-10", "Data quality monitoring",                      "Data",       "DATA",   2,   80,  20,  40,    0,   90, 2, 5, 0.90, "TECH"),
    # email & CRM
    ("MT-11", "Consolidate email & SMS on one SaaS ESP",      "Marketing",  "CRM",    6,  350, 250, 380,  400,  120, 3, 6, 0.85, "MKT"),
    ("MT-12", "Email & SMS on the packaged CDP's messaging",  "Marketing",  "CRM",    5,  250, 200, 300,  350,  120, 3, 5, 0.70, "MKT"),
    ("MT-13", "Lifecycle journey library",                    "Marketing",  "CRM",    4,   60, 180,  20,  900,    0, 6, 4, 0.75, "MKT"),
    ("MT-14", "Email deliverability & domain authentication", "Marketing",  "CRM",    2,   30,  40,  15,  150,    0, 2, 5, 0.90, "MKT"),
    ("MT-15", "Preference centre & double opt-in",            "Marketing",  "CRM",    3,  100,  40,  30,  200,    0, 3, 5, 0.85, "MKT"),
    ("MT-16", "Transactional messaging migration",            "Technology", "MTECH",  3,  120,  60,  50,    0,   80, 1, 5, 0.90, "TECH"),
    ("MT-17", "Loyalty events in lifecycle email",            "Marketing",  "CRM",    3,  150,  50,  40,  350,    0, 4, 5, 0.70, "MKT"),
    ("MT-18", "Push notifications & in-app messaging",        "Marketing",  "CRM",    3,  180,  50,  90,  450,    0, 4, 4, 0.70, "MKT"),
    ("MT-19", "Send-time & frequency optimisation",           "Data",       "ANA",    3,  100,  40,  60,  300,    0, 4, 4, 0.60, "MKT"),
    ("MT-20", "CRM reporting suite",                          "Data",       "ANA",    2,   60,  30,  20,    0,   60, 2, 4, 0.90, "MKT"),
    # web, content & assets
    ("MT-21", "Headless CMS for all brand sites",             "Digital",    "WEB",    9, 1200, 300, 280,  700,  200, 6, 7, 0.75, "TECH"),
    ("MT-22", "Upgrade the on-premise CMS",                   "Digital",    "WEB",    5,  500, 100, 100,    0,    0, 0, 4, 0.90, "TECH"),
    ("MT-23", "Digital asset management (SaaS DAM)",          "Digital",    "WEB",    4,  250,  80, 120,    0,  300, 3, 6, 0.85, "MKT"),
    ("MT-24", "Asset library inside the headless CMS",        "Digital",    "WEB",    3,  150,  50,  40,    0,  220, 3, 5, 0.75, "TECH"),
    ("MT-25", "Brand-site design system",                     "Digital",    "WEB",    4,  300,  50,  30,  250,  100, 3, 5, 0.85, "TECH"),
    ("MT-26", "Site search & merchandising",                  "Digital",    "WEB",    3,  200,  50, 120,  600,    0, 3, 5, 0.75, "MKT"),
    ("MT-27", "Microsite clean-up (120 sites to 10)",         "Digital",    "WEB",    6,    0, 250,   0,    0,  200, 0, 5, 0.90, "MKT"),
    ("MT-28", "Content translation workflow",                 "Digital",    "WEB",    3,  100,  60,  60,    0,  250, 3, 5, 0.85, "MKT"),
    ("MT-29", "SEO tooling & structured data",                "Digital",    "WEB",    2,   60,  40,  40,  350,    0, 4, 4, 0.70, "MKT"),
    ("MT-30", "Accessibility remediation (all brand sites)",  "Digital",    "WEB",    4,  200, 150,  20,    0,    0, 0, 5, 1.00, "TECH"),
    ("MT-31", "Product content syndication",                  "Digital",    "WEB",    3,  150,  40,  60,  300,    0, 3, 5, 0.70, "MKT"),
    ("MT-32", "Generative content assistant",                 "Digital",    "WEB",    2,   80,  60, 150,    0,  350, 3, 3, 0.55, "MKT"),
    # analytics & measurement
    ("MT-33", "One web & app analytics platform",             "Data",       "ANA",    5,  250, 120, 260,    0,    0, 3, 5, 0.85, "TECH"),
    ("MT-34", "Marketing mix modelling",                      "Data",       "ANA",    4,  200, 150, 100, 1200,    0, 6, 4, 0.60, "MKT"),
    ("MT-35", "Multi-touch attribution",                      "Data",       "ANA",    4,  150,  80, 120,  600,    0, 4, 4, 0.55, "MKT"),
    ("MT-36", "Marketing KPI cockpit",                        "Data",       "ANA",    3,  120,  40,  50,    0,  150, 2, 5, 0.90, "TECH"),
    ("MT-37", "Incrementality testing programme",             "Data",       "ANA",    3,   50, 120,  30,  500,    0, 4, 4, 0.65, "MKT"),
    ("MT-38", "Customer lifetime value model",                "Data",       "ANA",    3,  100,  50,  30,  450,    0, 4, 5, 0.65, "MKT"),
    ("MT-39", "Survey tool consolidation",                    "Operations", "MOPS",   2,   20,  30,  40,    0,    0, 1, 4, 0.95, "MKT"),
    ("MT-40", "Tagging governance & audit",                   "Technology", "MTECH",  2,   30,  40,  10,    0,   40, 0, 4, 0.90, "TECH"),
    ("MT-41", "App analytics SDK clean-up",                   "Technology", "MTECH",  3,   80,  30,  40,    0,   60, 1, 4, 0.85, "TECH"),
    ("MT-42", "Predictive churn model",                       "Data",       "ANA",    3,  120,  40,  40,  550,    0, 4, 4, 0.55, "MKT"),
    # personalisation & testing
    ("MT-43", "Server-side experimentation platform",         "Digital",    "MTECH",  3,  150,  50, 180,  700,    0, 4, 5, 0.75, "MKT"),
    ("MT-44", "Web personalisation engine",                   "Digital",    "WEB",    4,  300,  80, 220, 1300,    0, 6, 5, 0.65, "MKT"),
    ("MT-45", "Product recommendations",                      "Digital",    "WEB",    3,  200,  50, 150,  900,    0, 4, 5, 0.70, "MKT"),
    ("MT-46", "Next-best-action decisioning",                 "Marketing",  "ANA",    6,  500, 150, 250, 1500,    0, 6, 5, 0.45, "MKT"),
    ("MT-47", "Dynamic creative optimisation",                "Marketing",  "BRAND",  3,  150,  80, 120,  400,    0, 4, 4, 0.55, "MKT"),
    ("MT-48", "Testing centre of excellence",                 "Operations", "MOPS",   3,    0, 150,   0,  250,    0, 3, 3, 0.70, "MKT"),
    # paid media
    ("MT-49", "One ad server for all brands",                 "Marketing",  "BRAND",  4,  150, 100, 200,    0,  450, 2, 5, 0.85, "MKT"),
    ("MT-50", "First-party audiences in data clean rooms",    "Marketing",  "DATA",   4,  250,  80, 150,  900,    0, 4, 5, 0.60, "MKT"),
    ("MT-51", "Programmatic buying in-house",                 "Marketing",  "BRAND",  6,  200, 300, 250,    0, 1100, 4, 5, 0.60, "MKT"),
    ("MT-52", "Media budget planning tool",                   "Operations", "MOPS",   2,   60,  30,  50,    0,  120, 1, 4, 0.85, "MKT"),
    ("MT-53", "Retail media partner connector",               "Marketing",  "BRAND",  2,   80,  40,  60,  350,    0, 3, 4, 0.60, "MKT"),
    ("MT-54", "Affiliate platform migration",                 "Marketing",  "BRAND",  2,   40,  40,  80,  150,   80, 2, 4, 0.80, "MKT"),
    ("MT-55", "Search ads bid automation",                    "Marketing",  "BRAND",  2,   50,  30,  90,  400,    0, 2, 4, 0.75, "MKT"),
    ("MT-56", "Cookieless conversion APIs",                   "Technology", "MTECH",  3,  100,  40,  40,  500,    0, 3, 4, 0.75, "MKT"),
    # social
    ("MT-57", "Social publishing consolidation",              "Marketing",  "SOC",    2,   30,  40,  90,    0,    0, 1, 4, 0.90, "MKT"),
    ("MT-58", "Social listening replacement",                 "Marketing",  "SOC",    2,   20,  30,  80,    0,    0, 1, 4, 0.90, "MKT"),
    ("MT-59", "Community & user-generated content platform",  "Marketing",  "SOC",    4,  250, 100, 150,  300,    0, 6, 4, 0.50, "MKT"),
    ("MT-60", "Influencer management platform",               "Marketing",  "SOC",    2,   40,  50, 100,  250,    0, 3, 3, 0.60, "MKT"),
    ("MT-61", "Social customer care",                         "Marketing",  "SOC",    2,   60,  30,  60,    0,  200, 2, 4, 0.80, "MKT"),
    ("MT-62", "Social commerce shops",                        "Marketing",  "SOC",    3,  100,  80,  80,  300,    0, 4, 3, 0.55, "MKT"),
    # privacy & security
    ("MT-63", "Retention & deletion automation",              "Privacy",    "SEC",    3,  150,  40,  30,    0,    0, 0, 5, 1.00, "TECH"),
    ("MT-64", "Vendor risk assessment of the martech stack",  "Privacy",    "PROC",   2,    0, 120,   0,    0,    0, 0, 3, 1.00, "TECH"),
    ("MT-65", "Single sign-on for marketing tools",           "Technology", "SEC",    3,  120,  30,  40,    0,   80, 0, 5, 0.95, "TECH"),
    ("MT-66", "Clean-room privacy controls",                  "Privacy",    "SEC",    2,   80,  20,  30,    0,    0, 0, 4, 0.90, "TECH"),
    ("MT-67", "Marketing access & role review",               "Privacy",    "SEC",    1,    0,  40,   0,    0,   20, 0, 3, 1.00, "TECH"),
    # operations & governance
    ("MT-68", "Marketing work management (plans & approvals)", "Operations", "MOPS",  4,  200,  80, 110,    0,  400, 3, 5, 0.85, "MKT"),
    ("MT-69", "Martech licence harvesting",                   "Operations", "PROC",   2,    0,  60,   0,    0,  350, 1, 3, 0.90, "MKT"),
    ("MT-70", "Martech architecture & vendor board",          "Operations", "PROC",   2,    0,  80,   0,    0,  100, 2, 5, 0.90, "MKT"),
    ("MT-71", "Campaign taxonomy & naming standards",         "Operations", "MOPS",   2,    0,  50,   0,    0,   80, 2, 5, 0.90, "MKT"),
    ("MT-72", "Marketing operations academy",                 "Operations", "MOPS",   3,    0, 180,   0,    0,  120, 3, 3, 0.80, "MKT"),
    ("MT-73", "Brief-to-launch automation",                   "Operations", "MOPS",   3,  120,  40,  60,    0,  250, 3, 4, 0.75, "MKT"),
    ("MT-74", "Marketing spend & PO integration with finance", "Operations", "MTECH", 3,  150,  40,  40,    0,  150, 2, 5, 0.85, "TECH"),
    # ideas that look exciting on a slide
    ("MT-75", "Metaverse brand experience",                   "Marketing",  "BRAND",  4,  600, 300, 200,  150,    0, 6, 3, 0.35, "MKT"),
    ("MT-76", "Blockchain loyalty tokens",                    "Marketing",  "CRM",    5,  500, 150, 180,  200,    0, 6, 3, 0.30, "MKT"),
    ("MT-77", "Build an in-house email platform",             "Technology", "MTECH", 10, 1500, 200, 150,    0,  200, 6, 5, 0.40, "TECH"),
    ("MT-78", "Voice assistant skills",                       "Digital",    "WEB",    3,  150,  50,  60,   80,    0, 4, 3, 0.45, "MKT"),
    ("MT-79", "Programmatic digital out-of-home",             "Marketing",  "BRAND",  3,  100, 200, 150,  300,    0, 3, 3, 0.50, "MKT"),
    ("MT-80", "Martech stack inventory & licence audit",      "Operations", "PROC",   2,    0,  60,   0,    0,    0, 0, 3, 1.00, "MKT"),
]

STAFFING = {
    "MT-01": "DATA 3, MTECH 1",                   "MT-02": "DATA 2, ANA 1",                     "MT-03": "DATA 3, MTECH 2, CRM 1",
    "MT-04": "MTECH 3, CRM 1, DATA 1",            "MT-05": "SEC 1.5, MTECH 1, WEB 1",           "MT-06": "MTECH 2, DATA 1",
    "MT-07": "DATA 2",                            "MT-08": "MTECH 2",                           "MT-09": "DATA 1, CRM 1",
    "MT-10": "DATA 1",                            "MT-11": "CRM 3, MTECH 2@100%/100%/50%",      "MT-12": "CRM 3, MTECH 1",
    "MT-13": "CRM 2, MOPS 1",                     "MT-14": "CRM 1, MTECH 0.5",                  "MT-15": "CRM 1, WEB 1, SEC 0.5",
    "MT-16": "MTECH 2",                           "MT-17": "CRM 1, DATA 1",                     "MT-18": "CRM 1, WEB 1",
    "MT-19": "ANA 1, CRM 0.5",                    "MT-20": "ANA 1",                             "MT-21": "WEB 5@60%/100%/100%/80%, MTECH 2",
    "MT-22": "WEB 3, MTECH 1",                    "MT-23": "WEB 1, MOPS 1",                     "MT-24": "WEB 2",
    "MT-25": "WEB 2",                             "MT-26": "WEB 2",                             "MT-27": "WEB 2, BRAND 1",
    "MT-28": "WEB 1, MOPS 1",                     "MT-29": "WEB 1",                             "MT-30": "WEB 2",
    "MT-31": "WEB 1, DATA 0.5",                   "MT-32": "WEB 1",                             "MT-33": "ANA 2, MTECH 1",
    "MT-34": "ANA 2, DATA 1",                     "MT-35": "ANA 2, MTECH 0.5",                  "MT-36": "ANA 1, DATA 1",
    "MT-37": "ANA 1, BRAND 1",                    "MT-38": "ANA 1, DATA 0.5",                   "MT-39": "MOPS 1",
    "MT-40": "MTECH 1",                           "MT-41": "MTECH 1",                           "MT-42": "ANA 1, DATA 0.5",
    "MT-43": "MTECH 2, WEB 1",                    "MT-44": "WEB 2, MTECH 1",                    "MT-45": "WEB 2, DATA 0.5",
    "MT-46": "ANA 2, DATA 1, CRM 1",              "MT-47": "BRAND 1, WEB 1",                    "MT-48": "MOPS 1, ANA 0.5",
    "MT-49": "BRAND 2, MTECH 1",                  "MT-50": "DATA 1, BRAND 1",                   "MT-51": "BRAND 3, MOPS 1",
    "MT-52": "MOPS 1",                            "MT-53": "BRAND 1",                           "MT-54": "BRAND 1",
    "MT-55": "BRAND 1",                           "MT-56": "MTECH 1, BRAND 0.5",                "MT-57": "SOC 1",
    "MT-58": "SOC 1",                             "MT-59": "SOC 2, WEB 1",                      "MT-60": "SOC 1",
    "MT-61": "SOC 1",                             "MT-62": "SOC 1, WEB 1",                      "MT-63": "SEC 1, DATA 1",
    "MT-64": "PROC 1, SEC 1",                     "MT-65": "SEC 1, MTECH 1",                    "MT-66": "SEC 1",
    "MT-68": "MOPS 2, MTECH 1",                   "MT-69": "PROC 1",                            "MT-70": "PROC 0.5, MTECH 0.5",
    "MT-71": "MOPS 1",                            "MT-72": "MOPS 1",                            "MT-73": "MOPS 1, MTECH 1",
    "MT-74": "MTECH 1, PROC 0.5",                 "MT-75": "BRAND 2, WEB 2",                    "MT-76": "CRM 2, MTECH 2",
    "MT-77": "MTECH 5, CRM 1",                    "MT-78": "WEB 2",                             "MT-79": "BRAND 1",
}

LIFTS = {
    "MT-01": "MC-02: 0.5, MC-08: 0.5",  "MT-02": "MC-02: 1, MC-01: 0.5",    "MT-03": "MC-02: 1, MC-03: 1",
    "MT-04": "MC-02: 1, MC-03: 1",      "MT-05": "MC-01: 1.5, MC-13: 1",    "MT-06": "MC-07: 1",
    "MT-07": "MC-02: 0.5",              "MT-08": "MC-07: 1.5",              "MT-09": "MC-03: 0.5",
    "MT-10": "MC-07: 0.5",              "MT-11": "MC-04: 1",                "MT-12": "MC-04: 0.5",
    "MT-13": "MC-04: 0.5",              "MT-14": "MC-01: 0.5",              "MT-15": "MC-01: 1",
    "MT-18": "MC-04: 0.5",              "MT-21": "MC-06: 1.5",              "MT-22": "MC-06: 0.5",
    "MT-23": "MC-06: 0.5",              "MT-24": "MC-06: 0.5",              "MT-26": "MC-05: 0.5",
    "MT-30": "MC-13: 0.5",              "MT-33": "MC-08: 2",                "MT-34": "MC-09: 1.5",
    "MT-35": "MC-09: 1",                "MT-36": "MC-08: 0.5, MC-09: 0.5",  "MT-37": "MC-09: 0.5",
    "MT-40": "MC-07: 0.5",              "MT-43": "MC-05: 1",                "MT-44": "MC-05: 1",
    "MT-45": "MC-05: 0.5",              "MT-46": "MC-05: 1",                "MT-49": "MC-10: 1",
    "MT-51": "MC-10: 1",                "MT-52": "MC-10: 0.5, MC-12: 0.5",  "MT-55": "MC-10: 0.5",
    "MT-56": "MC-09: 0.5, MC-07: 0.5",  "MT-57": "MC-11: 0.5",              "MT-58": "MC-11: 0.5",
    "MT-61": "MC-11: 0.5",              "MT-63": "MC-13: 1",                "MT-64": "MC-14: 0.5, MC-13: 0.5",
    "MT-68": "MC-12: 1.5",              "MT-69": "MC-14: 0.5",              "MT-70": "MC-14: 1",
    "MT-71": "MC-12: 0.5",              "MT-73": "MC-12: 0.5",              "MT-74": "MC-12: 0.5",
    "MT-77": "MC-04: 0.5",
}

EXTRA = {
    "MT-03": {"alternative_group": "CDP", "retires": "SYS-03", "description": "Audiences built where the data already lives; cheaper to run, slower to land."},
    "MT-04": {"alternative_group": "CDP", "retires": "SYS-03", "description": "Fastest route to audiences; the highest licence fee in the stack."},
    "MT-05": {"mandatory": True, "must_finish_by": "2027-06-30", "description": "Regulator's findings on cookie consent must be closed by mid-2027."},
    "MT-08": {"status": "in progress", "actual_start": "2026-11-01", "retires": "SYS-04"},
    "MT-11": {"alternative_group": "ESP", "retires": "SYS-01, SYS-02, SYS-13", "cost_profile": "20%, 40%, 40%"},
    "MT-12": {"alternative_group": "ESP", "retires": "SYS-01, SYS-02, SYS-13"},
    "MT-21": {"alternative_group": "CMS", "retires": "SYS-08, SYS-09", "cost_profile": "10%, 30%, 40%, 20%"},
    "MT-22": {"alternative_group": "CMS", "retires": "SYS-09", "description": "Keeps the on-premise CMS for four more years."},
    "MT-23": {"alternative_group": "DAM", "retires": "SYS-12"},
    "MT-24": {"alternative_group": "DAM", "retires": "SYS-12"},
    "MT-30": {"mandatory": True, "must_finish_by": "2027-12-31", "description": "Closes the accessibility audit findings on every brand site."},
    "MT-33": {"retires": "SYS-05, SYS-06, SYS-07"},
    "MT-35": {"retires": "SYS-17"},
    "MT-39": {"retires": "SYS-16"},
    "MT-43": {"bundle": "TESTING", "retires": "SYS-15"},
    "MT-48": {"bundle": "TESTING"},
    "MT-50": {"bundle": "CLEANROOM"},
    "MT-52": {"retires": "SYS-14"},
    "MT-57": {"retires": "SYS-10"},
    "MT-58": {"retires": "SYS-11"},
    "MT-63": {"mandatory": True, "must_finish_by": "2028-03-31"},
    "MT-64": {"status": "in progress", "actual_start": "2026-12-01"},
    "MT-66": {"bundle": "CLEANROOM"},
    "MT-67": {"status": "done"},
    "MT-72": {"earliest_start": "2027-09-01"},
    "MT-77": {"alternative_group": "ESP", "description": "Rebuild what the market sells as a service."},
    "MT-80": {"status": "done", "description": "Found 46 tools and 17 candidates for retirement."},
}

DEPENDENCIES = [
    # predecessor -> successor, lag (months)
    ("MT-01", "MT-02", 0), ("MT-01", "MT-03", 0), ("MT-02", "MT-03", 0), ("MT-01", "MT-07", 0),
    ("MT-01", "MT-10", 0), ("MT-03", "MT-09", 0), ("MT-04", "MT-12", 0), ("MT-05", "MT-15", 0),
    ("MT-02", "MT-13", 0), ("MT-02", "MT-19", 0), ("MT-21", "MT-24", 0), ("MT-08", "MT-06", 0),
    ("MT-08", "MT-33", 0), ("MT-01", "MT-34", 0), ("MT-33", "MT-35", 0), ("MT-01", "MT-36", 0),
    ("MT-34", "MT-37", 2), ("MT-02", "MT-38", 0), ("MT-08", "MT-40", 0), ("MT-02", "MT-42", 0),
    ("MT-06", "MT-43", 0), ("MT-02", "MT-44", 0), ("MT-44", "MT-46", 0), ("MT-43", "MT-48", 0),
    ("MT-06", "MT-56", 0), ("MT-02", "MT-50", 0), ("MT-68", "MT-73", 0), ("MT-05", "MT-50", 0),
    ("MT-33", "MT-41", 0), ("MT-68", "MT-71", 0), ("MT-11", "MT-17", 0), ("MT-65", "MT-69", 0),
]

BUDGETS = [
    # period        fiscal year pool    kind     €k  (fiscal years start in April, named by the year they end)
    (None,          2027,       "TECH", "total",  900),
    (None,          2027,       "MKT",  "total",  800),
    (None,          2028,       "TECH", "total", 4400),
    (None,          2028,       "MKT",  "total", 5000),
    (None,          2029,       "TECH", "total", 3500),
    (None,          2029,       "MKT",  "total", 4000),
    ("2027-04-01",  None,       "MKT",  "opex",   350),  # new fiscal year: campaign season first
]

CRITERIA = [
    # id      name                    weight direction           min max
    ("VAL",  "Business value",        None, "higher is better",  0, 10),
    ("CX",   "Customer experience",   None, "higher is better",  0, 10),
    ("SIMP", "Stack simplification",  None, "higher is better",  0, 10),
    ("RISK", "Delivery risk",         None, "lower is better",   0, 10),
    ("TTV",  "Time to value",         None, "higher is better",  0, 10),
]

# Saaty 1-9: how much more the row criterion matters than the column one.
PAIRWISE_ORDER = ("VAL", "CX", "SIMP", "RISK", "TTV")
PAIRWISE = {
    "VAL":  (1,     2,     2,     4, 3),
    "CX":   ("1/2", 1,     1,     3, 2),
    "SIMP": ("1/2", 1,     1,     3, 2),
    "RISK": ("1/4", "1/3", "1/3", 1, "1/2"),
    "TTV":  ("1/3", "1/2", "1/2", 2, 1),
}

# Judged scores for value and customer experience; the other three follow from the data above.
JUDGED = {
    "MT-01": (8, 2), "MT-02": (8, 5), "MT-03": (9, 7), "MT-04": (9, 7), "MT-05": (7, 6),
    "MT-06": (6, 3), "MT-07": (6, 2), "MT-08": (6, 2), "MT-09": (6, 5), "MT-10": (4, 1),
    "MT-11": (8, 6), "MT-12": (7, 6), "MT-13": (8, 8), "MT-14": (5, 4), "MT-15": (6, 7),
    "MT-16": (4, 5), "MT-17": (6, 6), "MT-18": (6, 7), "MT-19": (5, 5), "MT-20": (4, 1),
    "MT-21": (8, 8), "MT-22": (3, 3), "MT-23": (6, 3), "MT-24": (5, 3), "MT-25": (6, 7),
    "MT-26": (7, 8), "MT-27": (5, 5), "MT-28": (5, 4), "MT-29": (6, 5), "MT-30": (6, 8),
    "MT-31": (5, 5), "MT-32": (5, 3), "MT-33": (7, 2), "MT-34": (8, 1), "MT-35": (6, 1),
    "MT-36": (6, 1), "MT-37": (6, 1), "MT-38": (7, 3), "MT-39": (3, 1), "MT-40": (4, 1),
    "MT-41": (4, 3), "MT-42": (6, 4), "MT-43": (7, 5), "MT-44": (8, 8), "MT-45": (7, 8),
    "MT-46": (8, 8), "MT-47": (5, 5), "MT-48": (5, 2), "MT-49": (6, 2), "MT-50": (7, 5),
    "MT-51": (7, 2), "MT-52": (4, 1), "MT-53": (5, 3), "MT-54": (3, 2), "MT-55": (5, 2),
    "MT-56": (7, 3), "MT-57": (3, 3), "MT-58": (3, 2), "MT-59": (4, 6), "MT-60": (4, 4),
    "MT-61": (5, 7), "MT-62": (4, 5), "MT-63": (6, 4), "MT-64": (5, 1), "MT-65": (4, 2),
    "MT-66": (5, 3), "MT-67": (3, 1), "MT-68": (6, 1), "MT-69": (7, 1), "MT-70": (5, 1),
    "MT-71": (4, 1), "MT-72": (4, 1), "MT-73": (5, 1), "MT-74": (4, 1), "MT-75": (2, 4),
    "MT-76": (2, 3), "MT-77": (3, 2), "MT-78": (2, 3), "MT-79": (3, 3), "MT-80": (5, 1),
}

SCENARIOS = [
    # scenario               description                                                 parameter          target  value   from
    ("Budget cut 20%",       "Every fiscal-year budget 20% lower.",                      "budget_scale",    None,   "80%",  None),
    ("Tech budget cut",      "Technology pool cut by a third in every fiscal year.",     "budget_scale",    "TECH", "67%",  None),
    ("Benefit haircut 30%",  "Every benefit 30% lower than the business cases.",         "benefit_haircut", None,   "30%",  None),
    ("Cost overrun 20%",     "Build costs 20% over estimate.",                           "cost_overrun",    None,   "20%",  None),
    ("Lose two engineers",   "Martech engineering shrinks by two FTE from July 2027.",   "capacity_change", "MTECH", "-2", "2027-07-01"),
    ("Buy the packaged CDP", "Leadership prefers the packaged CDP.",                     "force_in",        "MT-04", None,  None),
    ("Scorecard ranking",    "Rank by the weighted criteria instead of NPV.",            "objective",       None,   "score", None),
]
# fmt: on


def _derived_scores() -> dict[str, tuple[float, ...]]:
    """Stack simplification from the systems an initiative retires, delivery risk from its
    probability and size, time to value from build plus ramp-up months."""
    scores: dict[str, tuple[float, ...]] = {}
    for record in INITIATIVES:
        iid, dur, capex, opex, ramp, prob = (record[k] for k in (0, 4, 5, 6, 10, 12))
        retired = EXTRA.get(iid, {}).get("retires", "")
        simp = min(10, 2 + 3 * len([s for s in str(retired).split(",") if s.strip()]))
        risk = min(10, round(10 * (1 - prob) + (capex + opex) / 300))
        ttv = max(1, 10 - round((dur + ramp) / 2))
        value, cx = JUDGED[iid]
        scores[iid] = (value, cx, simp, risk, ttv)
    return scores


SCORES = _derived_scores()

# Risk analysis (roadmap risk). Ranges: build cost and benefit as shares of the estimate
# (low, likely, high), duration in months; None = the plan's value.
# fmt: off
UNCERTAINTY = [
    # id      cost low likely high   benefit low likely high   duration low likely high
    ("MT-01",  0.90, 1.00, 1.30,     0.80, 1.00, 1.10,         5, 6, 9),
    ("MT-02",  0.90, 1.05, 1.40,     0.60, 1.00, 1.20,         4, 5, 8),
    ("MT-03",  0.95, 1.10, 1.70,     0.50, 0.95, 1.20,         7, 8, 12),
    ("MT-04",  0.95, 1.00, 1.25,     0.60, 1.00, 1.15,         4, 5, 7),
    ("MT-05",  0.90, 1.00, 1.20,     None, None, None,         3, 3, 5),
    ("MT-06",  0.90, 1.00, 1.30,     0.70, 1.00, 1.20,         3, 4, 6),
    ("MT-07",  0.90, 1.00, 1.35,     0.80, 1.00, 1.10,         3, 4, 6),
    ("MT-09",  0.90, 1.00, 1.20,     0.50, 0.90, 1.20,         3, 3, 4),
    ("MT-10",  0.90, 1.00, 1.20,     0.80, 1.00, 1.10,         2, 2, 3),
]

RISKS = [
    # name                                       prob  initiatives       owner         cost  benefit delay
    ("CDP vendor market consolidates",           0.20, "MT-03, MT-04",   None,         0.20, 0.00,   2),
    ("Privacy regulation tightens",              0.30, None,             "Privacy",    0.15, 0.00,   1),
    ("Brand marketing budgets cut",              0.25, None,             "Marketing",  0.00, -0.15,  0),
    ("Key data engineers leave",                 0.20, None,             "Data",       0.10, 0.00,   2),
    ("Third-party cookies end sooner",           0.30, "MT-06, MT-08",   None,         0.05, 0.10,   1),
]
# fmt: on
