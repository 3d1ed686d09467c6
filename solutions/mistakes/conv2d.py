"""Known mistakes for `conv2d` (being written)."""

MISTAKES = []
