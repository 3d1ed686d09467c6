"""Known mistakes for `rnn` (being written)."""

MISTAKES = []
