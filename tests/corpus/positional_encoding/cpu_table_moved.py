"""Table built on the CPU in float64 with math constants, sin and cos interleaved by stack + flatten, moved with .to(device=..., dtype=...)."""

import math

import torch


def sinusoidal_encoding(max_len, d_model, device=None, dtype=torch.float32):
    pairs = (d_model + 1) // 2  # ⌈d/2⌉ (sin, cos) pairs; an odd d drops the last cosine
    position = torch.arange(max_len, dtype=torch.float64).unsqueeze(1)  # (max_len, 1)
    inv_freq = torch.exp(torch.arange(pairs, dtype=torch.float64) * (-2.0 * math.log(10000.0) / d_model))  # 10000^(-2i/d)
    angle = position * inv_freq  # (max_len, pairs)
    table = torch.stack([torch.sin(angle), torch.cos(angle)], dim=-1).flatten(1)[:, :d_model]  # sin, cos, sin, cos, ...
    return table.to(device=device, dtype=dtype)
