"""Plain Python loops over positions and columns with math.sin / math.cos (double precision), one torch.tensor(..., device=, dtype=) at the end."""

import math

import torch


def sinusoidal_encoding(max_len, d_model, device=None, dtype=torch.float32):
    rows = []
    for pos in range(max_len):
        row = []
        for col in range(d_model):
            angle = pos / math.pow(10000.0, (col - col % 2) / d_model)  # 2i = col rounded down to even
            row.append(math.sin(angle) if col % 2 == 0 else math.cos(angle))
        rows.append(row)
    return torch.tensor(rows, device=device, dtype=dtype)
