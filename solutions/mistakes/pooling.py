"""Known mistakes for `pooling` (being written)."""

MISTAKES = []
