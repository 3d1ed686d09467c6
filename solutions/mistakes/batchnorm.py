"""Known mistakes for `batchnorm` (being written)."""

MISTAKES = []
