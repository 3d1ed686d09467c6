"""Both sides summed before splitting, as for the LSTM: r is computed but never reaches the candidate."""

import torch
import torch.nn.functional as F


def gru_cell(x, h, W_ih, W_hh, b_ih=None, b_hh=None):
    pre = F.linear(x, W_ih, b_ih) + F.linear(h, W_hh, b_hh)
    r, z, n = pre.chunk(3, dim=1)
    r, z, n = torch.sigmoid(r), torch.sigmoid(z), torch.tanh(n)
    return (1 - z) * n + z * h


def gru_forward(x, h0, W_ih, W_hh, b_ih=None, b_hh=None):
    h = h0
    hs = []
    for x_t in x:
        h = gru_cell(x_t, h, W_ih, W_hh, b_ih, b_hh)
        hs.append(h)
    return torch.stack(hs), h
