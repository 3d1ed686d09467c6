"""The guide's GRU written as it stands (z lets the candidate in, r resets the state before W), with PyTorch's weights sliced per gate."""

import torch


def gru_cell(x, h, W_ih, W_hh, b_ih=None, b_hh=None):
    H = h.shape[-1]
    b_ih = torch.zeros_like(W_ih[:, 0]) if b_ih is None else b_ih
    b_hh = torch.zeros_like(W_hh[:, 0]) if b_hh is None else b_hh
    rows = {"r": slice(0, H), "z": slice(H, 2 * H), "n": slice(2 * H, 3 * H)}
    z = torch.sigmoid(x @ W_ih[rows["z"]].T + b_ih[rows["z"]] + h @ W_hh[rows["z"]].T + b_hh[rows["z"]])
    r = torch.sigmoid(x @ W_ih[rows["r"]].T + b_ih[rows["r"]] + h @ W_hh[rows["r"]].T + b_hh[rows["r"]])
    h_tilde = torch.tanh(x @ W_ih[rows["n"]].T + b_ih[rows["n"]] + (r * h) @ W_hh[rows["n"]].T + b_hh[rows["n"]])
    return (1 - z) * h + z * h_tilde


def gru_forward(x, h0, W_ih, W_hh, b_ih=None, b_hh=None):
    h = h0
    states = []
    for x_t in x:
        h = gru_cell(x_t, h, W_ih, W_hh, b_ih, b_hh)
        states.append(h)
    return torch.stack(states), h
