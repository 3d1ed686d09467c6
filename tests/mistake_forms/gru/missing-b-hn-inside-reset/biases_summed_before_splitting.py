"""Both biases summed and added to the input side, so b_hn lands outside the reset gate."""

import torch


def gru_cell(x, h, W_ih, W_hh, b_ih=None, b_hh=None):
    gi = x @ W_ih.T
    if b_ih is not None:
        gi = gi + (b_ih + b_hh)
    gh = h @ W_hh.T
    i_r, i_z, i_n = gi.chunk(3, 1)
    h_r, h_z, h_n = gh.chunk(3, 1)
    r, z = torch.sigmoid(i_r + h_r), torch.sigmoid(i_z + h_z)
    n = torch.tanh(i_n + r * h_n)
    return (1 - z) * n + z * h


def gru_forward(x, h0, W_ih, W_hh, b_ih=None, b_hh=None):
    h = h0
    out = []
    for x_t in x:
        h = gru_cell(x_t, h, W_ih, W_hh, b_ih, b_hh)
        out.append(h)
    return torch.stack(out), h
