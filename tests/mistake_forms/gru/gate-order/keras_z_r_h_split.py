"""Keras's block order z, r, h read with Tensor.split on both sides."""

import torch


def gru_cell(x, h, W_ih, W_hh, b_ih=None, b_hh=None):
    H = h.shape[1]
    gi = x @ W_ih.T if b_ih is None else x @ W_ih.T + b_ih
    gh = h @ W_hh.T if b_hh is None else h @ W_hh.T + b_hh
    x_z, x_r, x_h = gi.split(H, dim=1)
    h_z, h_r, h_h = gh.split(H, dim=1)
    z = torch.sigmoid(x_z + h_z)
    r = torch.sigmoid(x_r + h_r)
    candidate = torch.tanh(x_h + r * h_h)
    return (1 - z) * candidate + z * h


def gru_forward(x, h0, W_ih, W_hh, b_ih=None, b_hh=None):
    h = h0
    hs = []
    for t in range(len(x)):
        h = gru_cell(x[t], h, W_ih, W_hh, b_ih, b_hh)
        hs.append(h)
    return torch.stack(hs), h
