"""Kata `gru`: a GRU cell, and the GRU run over a whole sequence.

Implement both functions without `nn.GRU`, `nn.GRUCell`, `torch._VF` or
`torch.gru*`. Grade with `dlprep grade gru`.

Careful: PyTorch's GRU is not written the way the guide writes it (see the
statement, `dlprep exercise gru`): its update gate weighs the *old* state, and its
reset gate is applied after the hidden-state matrix product.
"""

import torch


def gru_cell(x, h, W_ih, W_hh, b_ih=None, b_hh=None):
    """One GRU step, as nn.GRUCell computes it.

        rₜ = σ(W_ir xₜ + b_ir + W_hr hₜ₋₁ + b_hr)             reset gate
        zₜ = σ(W_iz xₜ + b_iz + W_hz hₜ₋₁ + b_hz)             update gate
        nₜ = tanh(W_in xₜ + b_in + rₜ ⊙ (W_hn hₜ₋₁ + b_hn))   candidate
        hₜ = (1 − zₜ) ⊙ nₜ + zₜ ⊙ hₜ₋₁

    The guide writes hₜ = (1 − zₜ) ⊙ hₜ₋₁ + zₜ ⊙ h̃ₜ and h̃ₜ = tanh(W[rₜ ⊙ hₜ₋₁, xₜ])
    (no biases): its z is PyTorch's 1 − z, and it applies r to hₜ₋₁ *before* the
    product. Implement PyTorch's form above.

    The three blocks' weights are stacked by rows in the order r, z, n:
    W_ih = [W_ir; W_iz; W_in], W_hh = [W_hr; W_hz; W_hn], and likewise b_ih, b_hh.

    Args:
        x: (B, I) input at this step.
        h: (B, H) previous hidden state hₜ₋₁.
        W_ih: (3H, I) input-to-hidden weights.
        W_hh: (3H, H) hidden-to-hidden weights.
        b_ih, b_hh: (3H,) biases, or None for no bias.

    Returns:
        h_next: (B, H), the new hidden state hₜ.
    """
    raise NotImplementedError


def gru_forward(x, h0, W_ih, W_hh, b_ih=None, b_hh=None):
    """Run the GRU over a sequence, as a one-layer nn.GRU (batch_first=False).

    Args:
        x: (T, B, I) inputs, time first.
        h0: (B, H) initial hidden state.
        W_ih, W_hh, b_ih, b_hh: as in `gru_cell`, shared by every time step.

    Returns:
        (output, h_n): output (T, B, H) stacks the hidden state hₜ of every step;
        h_n (B, H) is the hidden state after the last step.
    """
    raise NotImplementedError
