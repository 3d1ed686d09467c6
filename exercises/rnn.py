"""Kata `rnn`: a vanilla RNN cell, the RNN run over a sequence, and a bidirectional RNN.

Implement the three functions without `nn.RNN`, `nn.RNNCell`, `torch._VF` or
`torch.rnn_tanh*`. Grade with `dlprep grade rnn`.
"""

import torch


def rnn_cell(x, h, W_ih, W_hh, b_ih=None, b_hh=None):
    """One step of a vanilla (Elman) RNN with tanh, as nn.RNNCell computes it.

    The guide's hidden state, hₜ = tanh(Wₕₕhₜ₋₁ + Wₓₕxₜ + b), with PyTorch's names
    and its two biases (Wₓₕ is W_ih; the guide's b is b_ih + b_hh):

        hₜ = tanh(W_ih xₜ + b_ih + W_hh hₜ₋₁ + b_hh)

    Args:
        x: (B, I) input at this step.
        h: (B, H) previous hidden state hₜ₋₁.
        W_ih: (H, I) input-to-hidden weights.
        W_hh: (H, H) hidden-to-hidden weights.
        b_ih, b_hh: (H,) biases, or None for no bias.

    Returns:
        h_next: (B, H), the new hidden state hₜ.
    """
    raise NotImplementedError


def rnn_forward(x, h0, W_ih, W_hh, b_ih=None, b_hh=None):
    """Run the RNN over a sequence, as a one-layer nn.RNN (tanh, batch_first=False).

    Args:
        x: (T, B, I) inputs, time first.
        h0: (B, H) initial hidden state.
        W_ih, W_hh, b_ih, b_hh: as in `rnn_cell`, shared by every time step.

    Returns:
        (output, h_n): output (T, B, H) stacks the hidden state hₜ of every step;
        h_n (B, H) is the hidden state after the last step.
    """
    raise NotImplementedError


def birnn_forward(x, h0, params_fwd, params_bwd):
    """A one-layer bidirectional RNN, as nn.RNN(bidirectional=True).

    Two independent RNNs: the forward one reads x₁, …, x_T; the backward one reads
    x_T, …, x₁. At each step t the output concatenates both directions' states
    about xₜ, forward first (the guide's h = [h→; h←]):

        output[t] = [h→ₜ ; h←ₜ]
        h→ₜ = tanh(W_ih→ xₜ + b_ih→ + W_hh→ h→ₜ₋₁ + b_hh→),   h→₀ = h0[0]
        h←ₜ = tanh(W_ih← xₜ + b_ih← + W_hh← h←ₜ₊₁ + b_hh←),   h←_{T+1} = h0[1]

    Args:
        x: (T, B, I) inputs, time first.
        h0: (2, B, H) initial states: h0[0] for the forward direction, h0[1] for
            the backward one.
        params_fwd, params_bwd: each a tuple (W_ih, W_hh, b_ih, b_hh) shaped as in
            `rnn_cell`; the biases may be None.

    Returns:
        output: (T, B, 2H), forward features in [..., :H], backward in [..., H:].
    """
    raise NotImplementedError
