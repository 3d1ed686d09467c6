"""Known mistakes for `multihead` (being written)."""

MISTAKES = []
