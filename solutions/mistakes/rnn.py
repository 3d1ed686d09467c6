"""Mistakes interviewers see in a vanilla RNN, its unrolling over time, and a bidirectional RNN."""

import torch

from dlprep.grading.spec import mistake
from dlprep.solutions.mistakes._unroll import unroll


def _naive_tanh(z):
    # (e^z − e^−z) / (e^z + e^−z): for |z| beyond ~89 (float32) or ~710 (float64) both exponentials
    # overflow and the quotient is inf / inf = NaN
    return (torch.exp(z) - torch.exp(-z)) / (torch.exp(z) + torch.exp(-z))


def _cell(*, nonlinearity=torch.tanh, use_b_hh=True, swap_weights=False):
    """A vanilla RNN cell with the given nonlinearity and bias handling."""

    def rnn_cell(x, h, W_ih, W_hh, b_ih=None, b_hh=None):
        if swap_weights:  # Wₓₕ and Wₕₕ confused: only runs when I = H
            pre = x @ W_hh.T + h @ W_ih.T
        else:
            pre = x @ W_ih.T + h @ W_hh.T
        if b_ih is not None:
            pre = pre + b_ih
        if b_hh is not None and use_b_hh:
            pre = pre + b_hh
        return nonlinearity(pre)

    return rnn_cell


def _birnn(*, reverse_input=True, flip_back=True, backward_state=1, backward_first=False):
    """A bidirectional RNN built on correct one-direction runs."""
    run = unroll(_cell())

    def birnn_forward(x, h0, params_fwd, params_bwd):
        out_fwd, _ = run(x, h0[0], *params_fwd)
        out_bwd, _ = run(x.flip(0) if reverse_input else x, h0[backward_state], *params_bwd)
        if reverse_input and flip_back:
            out_bwd = out_bwd.flip(0)
        parts = [out_bwd, out_fwd] if backward_first else [out_fwd, out_bwd]
        return torch.cat(parts, dim=-1)

    return birnn_forward


MISTAKES = [
    mistake(
        "missing-b-hh",
        "Only b_ih is added. PyTorch's pre-activation is W_ih xₜ + b_ih + W_hh hₜ₋₁ + b_hh: the guide's "
        "single bias b in hₜ = tanh(Wₕₕhₜ₋₁ + Wₓₕxₜ + b) is split into two vectors, and both must be "
        "added when they are given.",
        rnn_cell=_cell(use_b_hh=False),
    ),
    mistake(
        "relu-not-tanh",
        "The cell uses ReLU. The guide's vanilla RNN, like nn.RNNCell's default, is "
        "hₜ = tanh(Wₕₕhₜ₋₁ + Wₓₕxₜ + b): tanh keeps the state in [-1, 1] and can be negative; ReLU "
        "clips negative pre-activations to 0 and lets the state grow without bound.",
        rnn_cell=_cell(nonlinearity=torch.relu),
    ),
    mistake(
        "swapped-weights",
        "W_ih and W_hh are swapped: xₜ meets W_hh and hₜ₋₁ meets W_ih. Shapes hide it only when I = H, "
        "as here. In the guide's hₜ = tanh(Wₕₕhₜ₋₁ + Wₓₕxₜ + b), W_hh (H, H) multiplies the previous "
        "state and W_ih (H, I) multiplies the input.",
        rnn_cell=_cell(swap_weights=True),
    ),
    mistake(
        "unstable-tanh",
        "tanh is written by hand as (eᶻ − e⁻ᶻ) / (eᶻ + e⁻ᶻ): for large pre-activations both exponentials "
        "overflow and the result is inf / inf = NaN. torch.tanh is stable for any input.",
        rnn_cell=_cell(nonlinearity=_naive_tanh),
    ),
    mistake(
        "no-state-carry",
        "Every step starts again from h0 instead of the previous step's state: the recurrence "
        "hₜ = tanh(Wₕₕhₜ₋₁ + Wₓₕxₜ + b) must feed each hₜ into the next step.",
        rnn_forward=unroll(_cell(), carry_state=False),
    ),
    mistake(
        "output-off-by-one",
        "`output` holds the hidden state from before each step (h0, h₁, …, h_{T-1}) instead of after it "
        "(h₁, …, h_T): append hₜ once the cell has computed it, so output[-1] equals h_n.",
        rnn_forward=unroll(_cell(), append_before_step=True),
    ),
    mistake(
        "backward-not-reversed",
        "The backward direction ran over the reversed sequence, but its outputs were concatenated in "
        "that reversed order: output[t] pairs h→ₜ with the backward state of step T-1-t. Flip the "
        "backward outputs back in time (`.flip(0)`) so that output[t] = [h→ₜ; h←ₜ], both about xₜ.",
        birnn_forward=_birnn(flip_back=False),
    ),
    mistake(
        "backward-input-not-reversed",
        "The backward direction reads the sequence forwards: it is just a second forward RNN with other "
        "weights. h←ₜ must summarise xₜ, …, x_T, so run it over x.flip(0) (x_T first), then flip its "
        "outputs back.",
        birnn_forward=_birnn(reverse_input=False),
    ),
    mistake(
        "backward-uses-forward-h0",
        "The backward direction starts from h0[0], the forward direction's initial state. As in nn.RNN "
        "(bidirectional=True), h0 is (2, B, H): h0[0] starts the forward direction and h0[1] the "
        "backward one.",
        birnn_forward=_birnn(backward_state=0),
    ),
    mistake(
        "directions-swapped",
        "The two directions are concatenated backward first. The guide's h = [h→; h←], like nn.RNN, "
        "puts the forward direction's H features first and the backward direction's last.",
        birnn_forward=_birnn(backward_first=True),
    ),
]
