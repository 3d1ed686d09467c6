"""Known mistakes for `activations` (being written)."""

MISTAKES = []
