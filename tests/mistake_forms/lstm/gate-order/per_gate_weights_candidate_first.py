"""Each gate's rows cut out by name into a dict, the candidate taken as the first block (Chainer's a, i, f, o), F.linear per gate."""

import torch
import torch.nn.functional as F

GATES = ("g", "i", "f", "o")


def lstm_cell(x, h, c, W_ih, W_hh, b_ih=None, b_hh=None):
    H = h.shape[1]
    pre = {}
    for k, name in enumerate(GATES):
        rows = slice(k * H, (k + 1) * H)
        pre[name] = F.linear(x, W_ih[rows], None if b_ih is None else b_ih[rows]) \
            + F.linear(h, W_hh[rows], None if b_hh is None else b_hh[rows])
    c_next = torch.sigmoid(pre["f"]) * c + torch.sigmoid(pre["i"]) * torch.tanh(pre["g"])
    return torch.sigmoid(pre["o"]) * torch.tanh(c_next), c_next


def lstm_forward(x, h0, c0, W_ih, W_hh, b_ih=None, b_hh=None):
    h, c = h0, c0
    out = []
    for x_t in x:
        h, c = lstm_cell(x_t, h, c, W_ih, W_hh, b_ih, b_hh)
        out.append(h)
    return torch.stack(out), (h, c)
