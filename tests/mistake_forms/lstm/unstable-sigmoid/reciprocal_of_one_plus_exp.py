"""A sigmoid of its own, (1 + e^(-z)).reciprocal(), for the three gates."""

import torch


def sigmoid(z):
    return (1 + (-z).exp()).reciprocal()


def lstm_cell(x, h, c, W_ih, W_hh, b_ih=None, b_hh=None):
    gates = x @ W_ih.T + h @ W_hh.T
    if b_ih is not None:
        gates = gates + b_ih
    if b_hh is not None:
        gates = gates + b_hh
    i, f, g, o = gates.chunk(4, dim=1)
    c_next = sigmoid(f) * c + sigmoid(i) * torch.tanh(g)
    return sigmoid(o) * torch.tanh(c_next), c_next


def lstm_forward(x, h0, c0, W_ih, W_hh, b_ih=None, b_hh=None):
    h, c = h0, c0
    hs = []
    for x_t in x:
        h, c = lstm_cell(x_t, h, c, W_ih, W_hh, b_ih, b_hh)
        hs.append(h)
    return torch.stack(hs), (h, c)
