"""The optimizer's MILP: the only package that imports pulp (and highspy).

Three rooms and an entry point: ``model/`` (the portfolio as arrays, variables, one
``add_<family>_constraints`` per family, objectives, build, extract), ``search/`` (the first
plan, the solver runs, earliest completion, the neighbourhood search), ``explain/`` (why-not
and the infeasibility diagnosis), and ``plan.solve_plan``, which runs them in that order. A room
imports only the rooms before it.
"""
