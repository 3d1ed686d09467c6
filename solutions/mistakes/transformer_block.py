"""Known mistakes for `transformer_block` (being written)."""

MISTAKES = []
