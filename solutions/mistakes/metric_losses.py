"""Known mistakes for `metric_losses` (being written)."""

MISTAKES = []
