"""Known mistakes for `positional_encoding` (being written)."""

MISTAKES = []
