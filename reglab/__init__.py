"""reglab: a terminal lab for regularization."""
