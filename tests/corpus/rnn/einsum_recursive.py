"""einsum for the products, recursion over the time steps, the bidirectional pass as a reversed index list."""

import torch


def rnn_cell(x, h, W_ih, W_hh, b_ih=None, b_hh=None):
    pre = torch.einsum("bi,hi->bh", x, W_ih) + torch.einsum("bj,hj->bh", h, W_hh)  # (B, H)
    for bias in (b_ih, b_hh):
        if bias is not None:
            pre = pre + bias
    return torch.tanh(pre)


def _unroll(x, steps, h, params):
    """Hidden states after each of `steps` (indices into x), in the order the steps are taken."""
    if not steps:
        return []
    h_next = rnn_cell(x[steps[0]], h, *params)
    return [h_next] + _unroll(x, steps[1:], h_next, params)


def rnn_forward(x, h0, W_ih, W_hh, b_ih=None, b_hh=None):
    states = _unroll(x, list(range(x.size(0))), h0, (W_ih, W_hh, b_ih, b_hh))
    return torch.stack(states), states[-1]  # (T, B, H), (B, H)


def birnn_forward(x, h0, params_fwd, params_bwd):
    T = x.size(0)
    forward = _unroll(x, list(range(T)), h0[0], params_fwd)
    backward = _unroll(x, list(range(T - 1, -1, -1)), h0[1], params_bwd)[::-1]  # back in time order
    return torch.stack([torch.cat([f, b], dim=-1) for f, b in zip(forward, backward)])  # (T, B, 2H)
