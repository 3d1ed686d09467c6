"""The candidate from the guide's concatenation [r ⊙ h, x] against [W_hn | W_in], with PyTorch's update and both biases."""

import torch


def gru_cell(x, h, W_ih, W_hh, b_ih=None, b_hh=None):
    H = h.shape[1]
    W_ir, W_iz, W_in = W_ih.split(H)
    W_hr, W_hz, W_hn = W_hh.split(H)
    b_ir, b_iz, b_in = b_ih.split(H) if b_ih is not None else (0, 0, 0)
    b_hr, b_hz, b_hn = b_hh.split(H) if b_hh is not None else (0, 0, 0)
    r = torch.sigmoid(x @ W_ir.T + b_ir + h @ W_hr.T + b_hr)
    z = torch.sigmoid(x @ W_iz.T + b_iz + h @ W_hz.T + b_hz)
    n = torch.tanh(torch.cat([r * h, x], dim=1) @ torch.cat([W_hn, W_in], dim=1).T + b_in + b_hn)
    return (1 - z) * n + z * h


def gru_forward(x, h0, W_ih, W_hh, b_ih=None, b_hh=None):
    h = h0
    outs = []
    for x_t in x:
        h = gru_cell(x_t, h, W_ih, W_hh, b_ih, b_hh)
        outs.append(h)
    return torch.stack(outs), h
