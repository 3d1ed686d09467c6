"""One sigmoid over all 4H pre-activations before splitting, so the candidate is a sigmoid too."""

import torch


def lstm_cell(x, h, c, W_ih, W_hh, b_ih=None, b_hh=None):
    gates = x @ W_ih.T + h @ W_hh.T
    if b_ih is not None:
        gates = gates + b_ih
    if b_hh is not None:
        gates = gates + b_hh
    i, f, g, o = torch.sigmoid(gates).split(h.shape[1], dim=1)
    c_next = f * c + i * g
    return o * torch.tanh(c_next), c_next


def lstm_forward(x, h0, c0, W_ih, W_hh, b_ih=None, b_hh=None):
    h, c = h0, c0
    outputs = []
    for x_t in x:
        h, c = lstm_cell(x_t, h, c, W_ih, W_hh, b_ih, b_hh)
        outputs.append(h)
    return torch.stack(outputs), (h, c)
