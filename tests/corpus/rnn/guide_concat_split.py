"""The guide's form: one weight [W_hh | W_ih] on the concatenation [h, x], a missing bias as zeros built on the CPU and moved with .to, time steps cut with torch.split."""

import torch


def _bias(b, H, like):
    if b is None:
        return torch.zeros(H, dtype=like.dtype).to(like.device)  # a CPU constant, moved next to the inputs
    return b


def rnn_cell(x, h, W_ih, W_hh, b_ih=None, b_hh=None):
    H = W_hh.size(0)
    W = torch.cat([W_hh, W_ih], dim=1)  # (H, H + I): the guide's W_h for [hₜ₋₁, xₜ]
    b = _bias(b_ih, H, x) + _bias(b_hh, H, x)  # the guide's single b
    return torch.tanh(torch.cat([h, x], dim=1) @ W.T + b)  # (B, H)


def rnn_forward(x, h0, W_ih, W_hh, b_ih=None, b_hh=None):
    h = h0
    states = []
    for x_t in torch.split(x, 1, dim=0):  # (1, B, I) slices
        h = rnn_cell(x_t.squeeze(0), h, W_ih, W_hh, b_ih, b_hh)
        states.append(h)
    return torch.stack(states, dim=0), h


def birnn_forward(x, h0, params_fwd, params_bwd):
    forward, _ = rnn_forward(x, h0[0], *params_fwd)
    backward, _ = rnn_forward(torch.flip(x, dims=[0]), h0[1], *params_bwd)
    return torch.cat([forward, torch.flip(backward, dims=[0])], dim=2)  # (T, B, 2H)
