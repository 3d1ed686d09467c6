"""Known mistakes for `optimizers` (being written)."""

MISTAKES = []
