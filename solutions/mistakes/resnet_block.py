"""Known mistakes for `resnet_block` (being written)."""

MISTAKES = []
