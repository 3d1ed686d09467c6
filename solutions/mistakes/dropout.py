"""Known mistakes for `dropout` (being written)."""

MISTAKES = []
