"""The optimizer: start windows, limits, the greedy baseline, the independent plan checker, and
``milp`` (the only package that imports pulp).
"""
