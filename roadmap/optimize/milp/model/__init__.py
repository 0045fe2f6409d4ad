"""The model: the portfolio as arrays (``data``), the start variables, one
``add_<family>_constraints`` per constraint family, the objectives, the builder that assembles
them in a fixed order, the plan read back from a solved model (``extract``), the model as the
solver sees it (``matrix``) and the limit bookkeeping of a plan held outside the solver
(``usage``). It knows nothing of how the model is searched or explained."""
