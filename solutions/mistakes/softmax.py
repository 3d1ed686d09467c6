"""Known mistakes for `softmax` (being written)."""

MISTAKES = []
