"""NumPy float64 table (np.power, fancy-indexed columns), handed to torch once with torch.as_tensor(..., device=, dtype=)."""

import numpy as np
import torch


def sinusoidal_encoding(max_len, d_model, device=None, dtype=torch.float32):
    pos = np.arange(max_len, dtype=np.float64)[:, None]  # (max_len, 1)
    two_i = np.arange(d_model) // 2 * 2  # the even column of each column's pair: 0, 0, 2, 2, 4, ...
    angle = pos / np.power(10000.0, two_i / d_model)  # (max_len, d_model)
    pe = np.where(np.arange(d_model) % 2 == 0, np.sin(angle), np.cos(angle))
    return torch.as_tensor(pe, device=device).to(dtype)
