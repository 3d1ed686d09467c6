"""A small class holding the split weights, einsum products, and the update h + z ⊙ (n − h) as the guide writes it."""

import torch


class _GRU:
    def __init__(self, W_ih, W_hh, b_ih, b_hh):
        self.W_i = W_ih.view(3, -1, W_ih.shape[1])  # (3, H, I): r, z, n
        self.W_h = W_hh.view(3, -1, W_hh.shape[1])  # (3, H, H)
        self.b_i = None if b_ih is None else b_ih.view(3, 1, -1)
        self.b_h = None if b_hh is None else b_hh.view(3, 1, -1)

    def step(self, x, h):
        gi = torch.einsum("bi,khi->kbh", x, self.W_i)
        gh = torch.einsum("bj,khj->kbh", h, self.W_h)
        if self.b_i is not None:
            gi, gh = gi + self.b_i, gh + self.b_h
        r = torch.sigmoid(gi[0] + gh[0])
        z = torch.sigmoid(gi[1] + gh[1])
        n = torch.tanh(gi[2] + r * gh[2])
        return h + z * (n - h)


def gru_cell(x, h, W_ih, W_hh, b_ih=None, b_hh=None):
    return _GRU(W_ih, W_hh, b_ih, b_hh).step(x, h)


def gru_forward(x, h0, W_ih, W_hh, b_ih=None, b_hh=None):
    gru = _GRU(W_ih, W_hh, b_ih, b_hh)
    h, outputs = h0, []
    for t in range(x.shape[0]):
        h = gru.step(x[t], h)
        outputs.append(h)
    return torch.stack(outputs), h
