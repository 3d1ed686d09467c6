"""The cell written out again inside lstm_forward's loop, the output preallocated, h = o ⊙ C in both places."""

import torch


def _gates(x, h, W_ih, W_hh, b_ih, b_hh):
    z = x @ W_ih.T + h @ W_hh.T
    return z if b_ih is None else z + b_ih + b_hh


def lstm_cell(x, h, c, W_ih, W_hh, b_ih=None, b_hh=None):
    H = h.shape[-1]
    z = _gates(x, h, W_ih, W_hh, b_ih, b_hh)
    i, f, o = torch.sigmoid(z[:, :H]), torch.sigmoid(z[:, H:2 * H]), torch.sigmoid(z[:, 3 * H:])
    c = f * c + i * torch.tanh(z[:, 2 * H:3 * H])
    return o * c, c


def lstm_forward(x, h0, c0, W_ih, W_hh, b_ih=None, b_hh=None):
    T, H = x.shape[0], h0.shape[-1]
    output = torch.zeros(T, *h0.shape, dtype=x.dtype, device=x.device)
    h, c = h0, c0
    for t in range(T):
        z = _gates(x[t], h, W_ih, W_hh, b_ih, b_hh)
        i, f, o = torch.sigmoid(z[:, :H]), torch.sigmoid(z[:, H:2 * H]), torch.sigmoid(z[:, 3 * H:])
        c = f * c + i * torch.tanh(z[:, 2 * H:3 * H])
        h = o * c
        output[t] = h
    return output, (h, c)
