"""Gates cut by slicing, sigmoid written as 0.5 * (1 + tanh(z / 2)), the output preallocated and filled in place."""

import torch


def _sigmoid(z):
    return 0.5 * (1.0 + torch.tanh(0.5 * z))  # σ(z), bounded for any z: tanh never overflows


def lstm_cell(x, h, c, W_ih, W_hh, b_ih=None, b_hh=None):
    H = h.shape[-1]
    z = torch.matmul(x, W_ih.t()) + torch.matmul(h, W_hh.t())  # (B, 4H)
    if b_ih is not None:
        z = z + b_ih
    if b_hh is not None:
        z = z + b_hh
    input_gate = _sigmoid(z[:, 0:H])
    forget_gate = _sigmoid(z[:, H:2 * H])
    candidate = torch.tanh(z[:, 2 * H:3 * H])
    output_gate = _sigmoid(z[:, 3 * H:4 * H])
    c_next = forget_gate * c + input_gate * candidate
    return output_gate * torch.tanh(c_next), c_next


def lstm_forward(x, h0, c0, W_ih, W_hh, b_ih=None, b_hh=None):
    output = torch.empty(x.shape[0], *h0.shape, device=x.device, dtype=x.dtype)  # (T, B, H)
    h, c = h0, c0
    for t, x_t in enumerate(x):
        h, c = lstm_cell(x_t, h, c, W_ih, W_hh, b_ih, b_hh)
        output[t] = h
    return output, (h, c)
