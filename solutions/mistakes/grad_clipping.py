"""Known mistakes for `grad_clipping` (being written)."""

MISTAKES = []
