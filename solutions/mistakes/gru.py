"""Known mistakes for `gru` (being written)."""

MISTAKES = []
