"""Kata `lstm`: an LSTM cell, and the LSTM run over a whole sequence.

Implement both functions without `nn.LSTM`, `nn.LSTMCell`, `torch._VF` or
`torch.lstm*`. Grade with `dlprep grade lstm`.
"""

import torch


def lstm_cell(x, h, c, W_ih, W_hh, b_ih=None, b_hh=None):
    """One LSTM step, as nn.LSTMCell computes it.

    The guide's equations, with PyTorch's split weights (W[hₜ₋₁, xₜ] + b becomes
    W_ih xₜ + b_ih + W_hh hₜ₋₁ + b_hh):

        iₜ = σ(W_ii xₜ + b_ii + W_hi hₜ₋₁ + b_hi)      input gate
        fₜ = σ(W_if xₜ + b_if + W_hf hₜ₋₁ + b_hf)      forget gate
        C̃ₜ = tanh(W_ig xₜ + b_ig + W_hg hₜ₋₁ + b_hg)   candidate (PyTorch calls it g)
        oₜ = σ(W_io xₜ + b_io + W_ho hₜ₋₁ + b_ho)      output gate
        Cₜ = fₜ ⊙ Cₜ₋₁ + iₜ ⊙ C̃ₜ
        hₜ = oₜ ⊙ tanh(Cₜ)

    The four gates' weights are stacked by rows in the order i, f, g, o:
    W_ih = [W_ii; W_if; W_ig; W_io], and likewise W_hh, b_ih and b_hh.

    Args:
        x: (B, I) input at this step.
        h: (B, H) previous hidden state hₜ₋₁.
        c: (B, H) previous cell state Cₜ₋₁.
        W_ih: (4H, I) input-to-hidden weights.
        W_hh: (4H, H) hidden-to-hidden weights.
        b_ih, b_hh: (4H,) biases, or None for no bias.

    Returns:
        (h_next, c_next), each (B, H).
    """
    raise NotImplementedError


def lstm_forward(x, h0, c0, W_ih, W_hh, b_ih=None, b_hh=None):
    """Run the LSTM over a sequence, as a one-layer nn.LSTM (batch_first=False).

    Args:
        x: (T, B, I) inputs, time first.
        h0, c0: (B, H) initial hidden and cell states.
        W_ih, W_hh, b_ih, b_hh: as in `lstm_cell`, shared by every time step.

    Returns:
        (output, (h_n, c_n)): output (T, B, H) stacks the hidden state hₜ of every
        step; h_n and c_n (B, H) are the hidden and cell states after the last step.
    """
    raise NotImplementedError
