"""Known mistakes for `classification_losses` (being written)."""

MISTAKES = []
