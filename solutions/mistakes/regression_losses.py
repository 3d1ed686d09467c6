"""Known mistakes for `regression_losses` (being written)."""

MISTAKES = []
