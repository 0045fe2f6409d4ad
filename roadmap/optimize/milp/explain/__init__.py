"""The explanations: why a plan is what it is. Why an initiative was not selected and what
forcing it in would cost (``whynot``: repair, LP bounds, forced re-solves in worker processes
through ``forced`` and ``pool``), and which limits would have to give when no plan exists
(``diagnose``)."""
