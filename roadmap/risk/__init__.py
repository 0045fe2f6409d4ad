"""Risk: how sure is the plan? Monte Carlo on money, dates and the choice itself.

- ``distributions``: triangular and PERT ranges, drawn through their inverse distribution
- ``sampling``: the sampled worlds (three-point ranges, owner-function correlation, risk
  events) as arrays, a pure function of the portfolio, the seed and the sample count
- ``worlds``: one sampled world as a Portfolio (for re-optimising), and the scaling it uses
- ``evaluate``: a fixed plan in every sampled world at once (money, budgets, team load, dates)
- ``summary``: percentiles, probabilities and the tornado of what drives NPV and finish
- ``reoptimise``: does the choice hold? the plan re-solved in sampled worlds

Pure numpy (and scipy.special for the inverse distributions); the money comes from
``roadmap.money``, limits from ``roadmap.optimize.limits``, so the figures are the plan's own.
"""
