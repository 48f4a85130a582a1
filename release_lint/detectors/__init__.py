"""Facts several rules share, each computed once per run (see ``repo.detector``)."""
