"""Reference for `positional_encoding`: the sinusoidal encoding of "Attention Is All You Need".

PE(pos, 2i) = sin(pos / 10000^(2i/d)),  PE(pos, 2i+1) = cos(pos / 10000^(2i/d)).
"""

import torch


def sinusoidal_encoding(max_len, d_model, device=None, dtype=torch.float32):
    # Angles in float64 whatever `dtype` is: at positions near 10⁴ a float32 angle is off
    # by ~1e-3 before the sin even runs. Cast once, at the end.
    pos = torch.arange(max_len, device=device, dtype=torch.float64).unsqueeze(1)  # (max_len, 1)
    two_i = torch.arange(0, d_model, 2, device=device, dtype=torch.float64)  # 2i = 0, 2, 4, ...: (⌈d/2⌉,)
    angle = pos / 10000 ** (two_i / d_model)  # (max_len, ⌈d/2⌉)
    pe = torch.empty(max_len, d_model, device=device, dtype=torch.float64)
    pe[:, 0::2] = torch.sin(angle)  # even columns 2i
    pe[:, 1::2] = torch.cos(angle[:, : d_model // 2])  # odd columns 2i+1: one fewer when d is odd
    return pe.to(dtype)  # (max_len, d_model)
