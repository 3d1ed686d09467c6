"""Mistakes interviewers see in an LSTM cell and its unrolling over time."""

import torch

from dlprep.grading.spec import mistake


def _identity(t):
    return t


def _naive_sigmoid(z):
    return 1 / (1 + torch.exp(-z))  # exp(-z) overflows for very negative z: inf/inf = NaN in backward


def _cell(
    *,
    order="ifgo",
    gate=torch.sigmoid,
    candidate=torch.tanh,
    squash=torch.tanh,
    use_b_hh=True,
    old_cell_in_h=False,
    swap_return=False,
    concat_order="hx",
):
    """An LSTM cell that reads the stacked gates in `order`, with the given nonlinearities."""

    def lstm_cell(x, h, c, W_ih, W_hh, b_ih=None, b_hh=None):
        if concat_order == "hx":
            gates = x @ W_ih.T + h @ W_hh.T
        else:  # [hₜ₋₁, xₜ] against [W_ih | W_hh]: each weight meets the other input
            gates = torch.cat([h, x], dim=1) @ torch.cat([W_ih, W_hh], dim=1).T
        if b_ih is not None:
            gates = gates + b_ih
        if b_hh is not None and use_b_hh:
            gates = gates + b_hh
        blocks = dict(zip(order, gates.chunk(4, dim=1)))
        i, f, g, o = gate(blocks["i"]), gate(blocks["f"]), candidate(blocks["g"]), gate(blocks["o"])
        c_next = f * c + i * g
        h_next = o * squash(c if old_cell_in_h else c_next)
        return (c_next, h_next) if swap_return else (h_next, c_next)

    return lstm_cell


def _forward(*, carry_state=True, append_before_step=False):
    """An unrolling over time built on a correct cell."""
    cell = _cell()

    def lstm_forward(x, h0, c0, W_ih, W_hh, b_ih=None, b_hh=None):
        h, c = h0, c0
        outputs = []
        for x_t in x:
            if append_before_step:
                outputs.append(h)
            h, c = cell(x_t, h if carry_state else h0, c if carry_state else c0, W_ih, W_hh, b_ih, b_hh)
            if not append_before_step:
                outputs.append(h)
        return torch.stack(outputs), (h, c)

    return lstm_forward


MISTAKES = [
    mistake(
        "gate-order",
        "The stacked gates are read as i, f, o, g (three sigmoids, then the candidate), but nn.LSTMCell "
        "stacks the rows of W_ih, W_hh and the biases as i, f, g, o: the third block of H rows is the "
        "candidate C̃ₜ = tanh(·) and the fourth is the output gate oₜ = σ(·). Slice `gates.chunk(4, 1)` "
        "in that order.",
        lstm_cell=_cell(order="ifog"),
    ),
    mistake(
        "forget-input-swap",
        "The forget and input gates are swapped: the blocks are read in the guide's listing order "
        "f, i, C̃, o, but PyTorch stacks them i, f, g, o. The first H rows belong to iₜ, which scales "
        "the candidate, and the next H to fₜ, which scales Cₜ₋₁ in Cₜ = fₜ ⊙ Cₜ₋₁ + iₜ ⊙ C̃ₜ.",
        lstm_cell=_cell(order="figo"),
    ),
    mistake(
        "missing-cell-tanh",
        "The hidden state is oₜ ⊙ Cₜ: the tanh on the cell state is missing. The guide's "
        "hₜ = oₜ ⊙ tanh(Cₜ) squashes the cell, which can grow beyond [-1, 1], before gating it out.",
        lstm_cell=_cell(squash=_identity),
    ),
    mistake(
        "sigmoid-on-g",
        "The candidate uses a sigmoid: C̃ₜ = tanh(W_c[hₜ₋₁, xₜ] + b_c) must lie in [-1, 1] so the cell "
        "can be pushed down as well as up; only the gates iₜ, fₜ, oₜ are sigmoids.",
        lstm_cell=_cell(candidate=torch.sigmoid),
    ),
    mistake(
        "missing-b-hh",
        "Only b_ih is added. PyTorch's pre-activation is W_ih xₜ + b_ih + W_hh hₜ₋₁ + b_hh: the guide's "
        "single bias b is split into two vectors, and both must be added when they are given.",
        lstm_cell=_cell(use_b_hh=False),
    ),
    mistake(
        "h-from-old-cell",
        "The hidden state is computed from the previous cell state, oₜ ⊙ tanh(Cₜ₋₁). Update the cell first, "
        "Cₜ = fₜ ⊙ Cₜ₋₁ + iₜ ⊙ C̃ₜ, then hₜ = oₜ ⊙ tanh(Cₜ) uses the new one.",
        lstm_cell=_cell(old_cell_in_h=True),
    ),
    mistake(
        "swapped-h-c",
        "The cell returns (c_next, h_next); the contract, like nn.LSTMCell, returns (h_next, c_next), and "
        "lstm_forward returns (output, (h_n, c_n)) with the hidden state first.",
        lstm_cell=_cell(swap_return=True),
    ),
    mistake(
        "concat-weights-mismatch",
        "The guide's concatenated form was built with its blocks in different orders: [hₜ₋₁, xₜ] was "
        "multiplied by [W_ih | W_hh], so the columns meant for xₜ meet hₜ₋₁ and vice versa (the widths "
        "add up to I + H either way, so nothing fails; with I = H it is exactly W_ih hₜ₋₁ + W_hh xₜ). "
        "W[hₜ₋₁, xₜ] needs W = [W_hh | W_ih]; simpler, compute W_ih xₜ + W_hh hₜ₋₁ separately.",
        lstm_cell=_cell(concat_order="mismatched"),
    ),
    mistake(
        "unstable-sigmoid",
        "The gates use a hand-written σ(z) = 1 / (1 + exp(-z)): for very negative pre-activations exp(-z) "
        "overflows to inf and the backward pass computes inf · 0 = NaN. Use torch.sigmoid (or evaluate "
        "exp(z) / (1 + exp(z)) where z < 0).",
        lstm_cell=_cell(gate=_naive_sigmoid),
    ),
    mistake(
        "no-state-carry",
        "Every step starts again from h0 and c0 instead of the previous step's (hₜ₋₁, Cₜ₋₁): the recurrence "
        "hₜ, Cₜ = cell(xₜ, hₜ₋₁, Cₜ₋₁) must carry both states from one step to the next.",
        lstm_forward=_forward(carry_state=False),
    ),
    mistake(
        "output-off-by-one",
        "`output` holds the hidden state from before each step (h0, h₁, …, h_{T-1}) instead of after it "
        "(h₁, …, h_T): append hₜ once the cell has computed it, so output[-1] equals h_n.",
        lstm_forward=_forward(append_before_step=True),
    ),
]
