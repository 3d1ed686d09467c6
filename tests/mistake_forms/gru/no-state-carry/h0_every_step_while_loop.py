"""A while loop that passes h0 to the cell at every step."""

import torch


def gru_cell(x, h, W_ih, W_hh, b_ih=None, b_hh=None):
    gi, gh = x @ W_ih.T, h @ W_hh.T
    if b_ih is not None:
        gi = gi + b_ih
    if b_hh is not None:
        gh = gh + b_hh
    i_r, i_z, i_n = gi.chunk(3, dim=1)
    h_r, h_z, h_n = gh.chunk(3, dim=1)
    r, z = torch.sigmoid(i_r + h_r), torch.sigmoid(i_z + h_z)
    return (1 - z) * torch.tanh(i_n + r * h_n) + z * h


def gru_forward(x, h0, W_ih, W_hh, b_ih=None, b_hh=None):
    outputs = []
    t = 0
    while t < x.shape[0]:
        h = gru_cell(x[t], h0, W_ih, W_hh, b_ih, b_hh)
        outputs.append(h)
        t += 1
    return torch.stack(outputs), h
