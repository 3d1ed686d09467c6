"""The hidden states collected in a list that starts with h0, the output cut as its first T entries."""

import torch


def lstm_cell(x, h, c, W_ih, W_hh, b_ih=None, b_hh=None):
    gates = x @ W_ih.T + h @ W_hh.T
    if b_ih is not None:
        gates = gates + b_ih + b_hh
    i, f, g, o = gates.chunk(4, dim=1)
    c_next = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
    return torch.sigmoid(o) * torch.tanh(c_next), c_next


def lstm_forward(x, h0, c0, W_ih, W_hh, b_ih=None, b_hh=None):
    hs, c = [h0], c0
    for x_t in x:
        h, c = lstm_cell(x_t, hs[-1], c, W_ih, W_hh, b_ih, b_hh)
        hs.append(h)
    return torch.stack(hs[:-1]), (hs[-1], c)
