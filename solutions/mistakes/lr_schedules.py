"""Known mistakes for `lr_schedules` (being written)."""

MISTAKES = []
