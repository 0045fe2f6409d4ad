"""The search: how a built model is solved. The first plan (greedy baseline, schedule generation,
a feasibility MILP) and its improvement as the warm start, the solver runs with a normalised
outcome (``solve``), the two stages of earliest completion (``programme``) and the
fix-and-optimise rounds beside the full model (``lns``, ``neighbourhoods``)."""
