"""Weights viewed as (4, H, ·) and multiplied with einsum along a gate axis, gates unpacked from that axis, a while loop over time."""

import torch


def lstm_cell(x, h, c, W_ih, W_hh, b_ih=None, b_hh=None):
    H = h.shape[1]
    pre = torch.einsum("bi,ghi->gbh", x, W_ih.reshape(4, H, -1)) \
        + torch.einsum("bj,ghj->gbh", h, W_hh.reshape(4, H, H))  # (4, B, H): one slab per gate
    if b_ih is not None:
        pre = pre + b_ih.view(4, 1, H)
    if b_hh is not None:
        pre = pre + b_hh.view(4, 1, H)
    i, f, g, o = pre  # iterating the gate axis
    c_next = torch.addcmul(torch.sigmoid(f) * c, torch.sigmoid(i), torch.tanh(g))  # f ⊙ c + i ⊙ g
    return torch.sigmoid(o) * torch.tanh(c_next), c_next


def lstm_forward(x, h0, c0, W_ih, W_hh, b_ih=None, b_hh=None):
    state = (h0, c0)
    outputs = []
    t = 0
    while t < len(x):
        state = lstm_cell(x[t], *state, W_ih, W_hh, b_ih, b_hh)
        outputs.append(state[0])
        t += 1
    return torch.stack(outputs, dim=0), state
