"""Known mistakes for `layernorm` (being written)."""

MISTAKES = []
