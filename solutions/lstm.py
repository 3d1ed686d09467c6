"""Reference for `lstm`: an LSTM cell and its unrolling over a sequence, as nn.LSTMCell / nn.LSTM.

PyTorch splits the guide's W[hₜ₋₁, xₜ] + b into W_ih xₜ + b_ih + W_hh hₜ₋₁ + b_hh and stacks
the four gates' rows in the order i, f, g, o.
"""

import torch


def lstm_cell(x, h, c, W_ih, W_hh, b_ih=None, b_hh=None):
    gates = x @ W_ih.T + h @ W_hh.T  # (B, 4H): all four gates in one matmul each
    if b_ih is not None:
        gates = gates + b_ih
    if b_hh is not None:
        gates = gates + b_hh
    i, f, g, o = gates.chunk(4, dim=1)  # (B, H) each, in nn.LSTMCell's order
    i, f, o = torch.sigmoid(i), torch.sigmoid(f), torch.sigmoid(o)
    g = torch.tanh(g)  # candidate C̃ₜ
    c_next = f * c + i * g  # Cₜ = fₜ ⊙ Cₜ₋₁ + iₜ ⊙ C̃ₜ
    h_next = o * torch.tanh(c_next)  # hₜ = oₜ ⊙ tanh(Cₜ)
    return h_next, c_next


def lstm_forward(x, h0, c0, W_ih, W_hh, b_ih=None, b_hh=None):
    h, c = h0, c0  # (B, H)
    outputs = []
    for x_t in x:  # x is (T, B, I): one (B, I) step at a time
        h, c = lstm_cell(x_t, h, c, W_ih, W_hh, b_ih, b_hh)
        outputs.append(h)
    return torch.stack(outputs), (h, c)  # (T, B, H), ((B, H), (B, H))
