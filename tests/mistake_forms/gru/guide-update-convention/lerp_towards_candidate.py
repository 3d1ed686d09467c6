"""PyTorch's gates and reset, but the update written torch.lerp(h, n, z): z moves the state towards the candidate."""

import torch
import torch.nn.functional as F


def gru_cell(x, h, W_ih, W_hh, b_ih=None, b_hh=None):
    i_r, i_z, i_n = F.linear(x, W_ih, b_ih).chunk(3, dim=1)
    h_r, h_z, h_n = F.linear(h, W_hh, b_hh).chunk(3, dim=1)
    r = torch.sigmoid(i_r + h_r)
    z = torch.sigmoid(i_z + h_z)
    n = torch.tanh(i_n + r * h_n)
    return torch.lerp(h, n, z)


def gru_forward(x, h0, W_ih, W_hh, b_ih=None, b_hh=None):
    h = h0
    hs = []
    for x_t in x:
        h = gru_cell(x_t, h, W_ih, W_hh, b_ih, b_hh)
        hs.append(h)
    return torch.stack(hs), h
