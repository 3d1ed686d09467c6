"""Known mistakes for `init` (being written)."""

MISTAKES = []
