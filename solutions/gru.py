"""Reference for `gru`: a GRU cell and its unrolling over a sequence, as nn.GRUCell / nn.GRU.

PyTorch stacks the three blocks' rows in the order r, z, n, keeps the input and hidden
products apart (the reset gate scales only the hidden side of the candidate, W_hn h + b_hn),
and its update gate z weighs the *old* state: h' = (1 − z) ⊙ n + z ⊙ h.
"""

import torch


def gru_cell(x, h, W_ih, W_hh, b_ih=None, b_hh=None):
    gi = x @ W_ih.T  # (B, 3H): input side of r, z, n
    gh = h @ W_hh.T  # (B, 3H): hidden side of r, z, n
    if b_ih is not None:
        gi = gi + b_ih
    if b_hh is not None:
        gh = gh + b_hh
    i_r, i_z, i_n = gi.chunk(3, dim=1)  # (B, H) each, in nn.GRUCell's order
    h_r, h_z, h_n = gh.chunk(3, dim=1)
    r = torch.sigmoid(i_r + h_r)  # reset gate
    z = torch.sigmoid(i_z + h_z)  # update gate: how much of the old state to keep
    n = torch.tanh(i_n + r * h_n)  # candidate: r scales W_hn h + b_hn, after the product
    return (1 - z) * n + z * h  # h' = (1 − z) ⊙ n + z ⊙ h


def gru_forward(x, h0, W_ih, W_hh, b_ih=None, b_hh=None):
    h = h0  # (B, H)
    outputs = []
    for x_t in x:  # x is (T, B, I): one (B, I) step at a time
        h = gru_cell(x_t, h, W_ih, W_hh, b_ih, b_hh)
        outputs.append(h)
    return torch.stack(outputs), h  # (T, B, H), (B, H)
