"""TensorFlow's gate order i, j, f, o (j the candidate), weights contracted with einsum, the gates unpacked with unbind."""

import torch


def lstm_cell(x, h, c, W_ih, W_hh, b_ih=None, b_hh=None):
    z = torch.einsum("bi,gi->bg", x, W_ih) + torch.einsum("bh,gh->bg", h, W_hh)
    if b_ih is not None:
        z = z + b_ih
    if b_hh is not None:
        z = z + b_hh
    i, j, f, o = z.reshape(z.shape[0], 4, -1).unbind(1)
    new_c = c * torch.sigmoid(f) + torch.sigmoid(i) * torch.tanh(j)
    new_h = torch.tanh(new_c) * torch.sigmoid(o)
    return new_h, new_c


def lstm_forward(x, h0, c0, W_ih, W_hh, b_ih=None, b_hh=None):
    outputs, state = [], (h0, c0)
    for x_t in x.unbind(0):
        state = lstm_cell(x_t, state[0], state[1], W_ih, W_hh, b_ih, b_hh)
        outputs.append(state[0])
    return torch.stack(outputs), state
