"""A small cell class holding the weights as (3, H, ·) blocks, bmm per block, the output preallocated with new_zeros and filled."""

import torch


class _Cell:
    def __init__(self, W_ih, W_hh, b_ih, b_hh):
        H = W_hh.shape[1]
        self.W_i = W_ih.reshape(3, H, -1)  # (3, H, I): r, z, n
        self.W_h = W_hh.reshape(3, H, H)  # (3, H, H)
        self.b_i = None if b_ih is None else b_ih.reshape(3, 1, H)
        self.b_h = None if b_hh is None else b_hh.reshape(3, 1, H)

    @staticmethod
    def _blocks(v, W, b):
        out = torch.bmm(v.expand(3, *v.shape), W.transpose(1, 2))  # (3, B, H)
        return out if b is None else out + b

    def __call__(self, x, h):
        gi = self._blocks(x, self.W_i, self.b_i)
        gh = self._blocks(h, self.W_h, self.b_h)
        r = torch.sigmoid(gi[0] + gh[0])
        z = torch.sigmoid(gi[1] + gh[1])
        n = torch.tanh(gi[2] + r * gh[2])  # reset applied to W_hn h + b_hn
        return (1.0 - z) * n + z * h


def gru_cell(x, h, W_ih, W_hh, b_ih=None, b_hh=None):
    return _Cell(W_ih, W_hh, b_ih, b_hh)(x, h)


def gru_forward(x, h0, W_ih, W_hh, b_ih=None, b_hh=None):
    cell = _Cell(W_ih, W_hh, b_ih, b_hh)
    output = x.new_zeros(x.shape[0], *h0.shape)  # (T, B, H)
    h = h0
    for t in range(x.shape[0]):
        h = cell(x[t], h)
        output[t] = h
    return output, h
