"""The cell returns (c, h), and the loop unpacks it the same way, so only the cell's own result is in the wrong order."""

import torch


def lstm_cell(x, h, c, W_ih, W_hh, b_ih=None, b_hh=None):
    gates = x @ W_ih.T + h @ W_hh.T
    if b_ih is not None:
        gates = gates + b_ih + b_hh
    i, f, g, o = gates.chunk(4, dim=1)
    c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
    h = torch.sigmoid(o) * torch.tanh(c)
    return c, h


def lstm_forward(x, h0, c0, W_ih, W_hh, b_ih=None, b_hh=None):
    h, c = h0, c0
    hidden = []
    for x_t in x:
        c, h = lstm_cell(x_t, h, c, W_ih, W_hh, b_ih, b_hh)
        hidden.append(h)
    return torch.stack(hidden), (h, c)
