"""F.linear on each side, blocks cut with torch.split, the update written as h + (1 - z)(n - h)."""

import torch
import torch.nn.functional as F


def gru_cell(x, h, W_ih, W_hh, b_ih=None, b_hh=None):
    H = h.size(-1)
    x_r, x_z, x_n = torch.split(F.linear(x, W_ih, b_ih), H, dim=-1)  # input side, (B, H) each
    h_r, h_z, h_n = torch.split(F.linear(h, W_hh, b_hh), H, dim=-1)  # hidden side
    r = torch.sigmoid(x_r + h_r)
    z = torch.sigmoid(x_z + h_z)
    n = torch.tanh(x_n + r * h_n)
    return h + (1 - z) * (n - h)  # = (1 − z) ⊙ n + z ⊙ h


def gru_forward(x, h0, W_ih, W_hh, b_ih=None, b_hh=None):
    h = h0
    outputs = []
    for x_t in x.unbind(0):
        h = gru_cell(x_t, h, W_ih, W_hh, b_ih, b_hh)
        outputs.append(h)
    return torch.stack(outputs), h
