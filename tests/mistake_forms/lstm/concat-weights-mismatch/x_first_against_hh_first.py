"""The guide's one matrix on a concatenation: [x, h] against [W_hh | W_ih], the summed biases added once."""

import torch


def lstm_cell(x, h, c, W_ih, W_hh, b_ih=None, b_hh=None):
    W = torch.cat((W_hh, W_ih), dim=1)  # (4H, H + I)
    xh = torch.cat((x, h), dim=1)  # (B, I + H)
    pre = xh @ W.T
    if b_ih is not None:
        pre = pre + (b_ih + b_hh)
    i, f, g, o = pre.chunk(4, dim=1)
    c_next = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
    return torch.sigmoid(o) * torch.tanh(c_next), c_next


def lstm_forward(x, h0, c0, W_ih, W_hh, b_ih=None, b_hh=None):
    h, c = h0, c0
    out = []
    for x_t in x:
        h, c = lstm_cell(x_t, h, c, W_ih, W_hh, b_ih, b_hh)
        out.append(h)
    return torch.stack(out), (h, c)
