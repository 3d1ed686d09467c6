"""Reference for `rnn`: a vanilla (Elman) RNN cell, its unrolling over a sequence, and a
bidirectional RNN, as nn.RNNCell / nn.RNN / nn.RNN(bidirectional=True) with tanh.

PyTorch splits the guide's Wₕₕhₜ₋₁ + Wₓₕxₜ + b into W_ih xₜ + b_ih + W_hh hₜ₋₁ + b_hh.
"""

import torch


def rnn_cell(x, h, W_ih, W_hh, b_ih=None, b_hh=None):
    pre = x @ W_ih.T + h @ W_hh.T  # (B, H)
    if b_ih is not None:
        pre = pre + b_ih
    if b_hh is not None:
        pre = pre + b_hh
    return torch.tanh(pre)  # hₜ = tanh(W_ih xₜ + b_ih + W_hh hₜ₋₁ + b_hh)


def rnn_forward(x, h0, W_ih, W_hh, b_ih=None, b_hh=None):
    h = h0  # (B, H)
    outputs = []
    for x_t in x:  # x is (T, B, I): one (B, I) step at a time
        h = rnn_cell(x_t, h, W_ih, W_hh, b_ih, b_hh)
        outputs.append(h)
    return torch.stack(outputs), h  # (T, B, H), (B, H)


def birnn_forward(x, h0, params_fwd, params_bwd):
    out_fwd, _ = rnn_forward(x, h0[0], *params_fwd)  # (T, B, H): h→ₜ sees x₁ … xₜ
    out_bwd, _ = rnn_forward(x.flip(0), h0[1], *params_bwd)  # runs from x_T back to x₁
    out_bwd = out_bwd.flip(0)  # back in time order: h←ₜ sees xₜ … x_T
    return torch.cat([out_fwd, out_bwd], dim=-1)  # (T, B, 2H): [h→ₜ; h←ₜ]
