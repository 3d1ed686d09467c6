"""Everything on the device in float64: one angle per column from torch.outer, sin or cos chosen by column parity with torch.where, cast at the end."""

import torch


def sinusoidal_encoding(max_len, d_model, device=None, dtype=torch.float32):
    f64 = dict(device=device, dtype=torch.float64)
    column = torch.arange(d_model, device=device)
    exponent = (column - column % 2).to(torch.float64) / d_model  # 2i/d for both columns of a pair
    angle = torch.outer(torch.arange(max_len, **f64), torch.pow(torch.tensor(10000.0, **f64), -exponent))  # (max_len, d)
    even = column % 2 == 0
    return torch.where(even, torch.sin(angle), torch.cos(angle)).to(dtype)
