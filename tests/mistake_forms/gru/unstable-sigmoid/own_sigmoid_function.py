"""A sigmoid of its own, 1 / (1 + torch.exp(-z)), for r and z."""

import torch


def sigmoid(z):
    return 1.0 / (1.0 + torch.exp(-z))


def gru_cell(x, h, W_ih, W_hh, b_ih=None, b_hh=None):
    gi, gh = x @ W_ih.T, h @ W_hh.T
    if b_ih is not None:
        gi, gh = gi + b_ih, gh + b_hh
    i_r, i_z, i_n = gi.chunk(3, dim=1)
    h_r, h_z, h_n = gh.chunk(3, dim=1)
    r, z = sigmoid(i_r + h_r), sigmoid(i_z + h_z)
    n = torch.tanh(i_n + r * h_n)
    return (1 - z) * n + z * h


def gru_forward(x, h0, W_ih, W_hh, b_ih=None, b_hh=None):
    h = h0
    hs = []
    for x_t in x:
        h = gru_cell(x_t, h, W_ih, W_hh, b_ih, b_hh)
        hs.append(h)
    return torch.stack(hs), h
