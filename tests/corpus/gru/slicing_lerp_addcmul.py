"""Row slices of the weights per block, torch.addcmul for the reset, torch.lerp for the update (lerp(n, h, z))."""

import torch


def _side(v, W, b, rows):
    out = v @ W[rows].T  # (B, H)
    return out if b is None else out + b[rows]


def gru_cell(x, h, W_ih, W_hh, b_ih=None, b_hh=None):
    H = W_hh.shape[1]
    r_rows, z_rows, n_rows = slice(0, H), slice(H, 2 * H), slice(2 * H, 3 * H)
    r = torch.sigmoid(_side(x, W_ih, b_ih, r_rows) + _side(h, W_hh, b_hh, r_rows))
    z = torch.sigmoid(_side(x, W_ih, b_ih, z_rows) + _side(h, W_hh, b_hh, z_rows))
    n = torch.tanh(torch.addcmul(_side(x, W_ih, b_ih, n_rows), r, _side(h, W_hh, b_hh, n_rows)))
    return torch.lerp(n, h, z)  # n + z ⊙ (h − n)


def gru_forward(x, h0, W_ih, W_hh, b_ih=None, b_hh=None):
    states = [h0]
    for x_t in x:
        states.append(gru_cell(x_t, states[-1], W_ih, W_hh, b_ih, b_hh))
    return torch.stack(states[1:]), states[-1]
