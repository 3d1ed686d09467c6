"""Mistakes interviewers see in an LSTM cell and its unrolling over time."""

import torch

from dlprep.grading.spec import mistake
from dlprep.solutions.mistakes._overflow import naive_sigmoid, non_finite_on_large_inputs, sigmoid_from_exp


def _identity(t):
    return t


def _cell(
    *,
    order="ifgo",
    gate=torch.sigmoid,
    candidate=torch.tanh,
    squash=torch.tanh,
    use_b_hh=True,
    old_cell_in_h=False,
    swap_return=False,
    mismatched_concat=None,
):
    """An LSTM cell that reads the stacked gates in `order`, with the given nonlinearities.

    mismatched_concat: the guide's W[·, ·] built with the input and the weights concatenated in
    different orders, "h-x" ([hₜ₋₁, xₜ] against [W_ih | W_hh]) or "x-h" ([xₜ, hₜ₋₁] against [W_hh | W_ih]).
    """

    def lstm_cell(x, h, c, W_ih, W_hh, b_ih=None, b_hh=None):
        if mismatched_concat == "h-x":
            gates = torch.cat([h, x], dim=1) @ torch.cat([W_ih, W_hh], dim=1).T
        elif mismatched_concat == "x-h":
            gates = torch.cat([x, h], dim=1) @ torch.cat([W_hh, W_ih], dim=1).T
        else:
            gates = x @ W_ih.T + h @ W_hh.T
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


def _forward(
    *,
    cell=None,
    carried="hc",
    stale_state=False,
    append_before_step=False,
    cell_gives_c_first=False,
    returns_c_first=False,
):
    """An unrolling over time around `cell` (a correct one by default).

    carried: the states fed from one step into the next; the others restart from h0, c0.
    stale_state: a state not carried is never reassigned either, so the returned one is still h0 or c0.
    cell_gives_c_first: the loop unpacks the cell's result as (c, h), as a cell returning (c, h) needs.
    returns_c_first: (output, (c_n, h_n)) instead of (output, (h_n, c_n)).
    """
    step = cell or _cell()

    def lstm_forward(x, h0, c0, W_ih, W_hh, b_ih=None, b_hh=None):
        h, c = h0, c0
        outputs = []
        for x_t in x:
            if append_before_step:
                outputs.append(h)
            result = step(x_t, h if "h" in carried else h0, c if "c" in carried else c0, W_ih, W_hh, b_ih, b_hh)
            h_t, c_t = reversed(result) if cell_gives_c_first else result
            if "h" in carried or not stale_state:
                h = h_t
            if "c" in carried or not stale_state:
                c = c_t
            if not append_before_step:
                outputs.append(h_t)
        return torch.stack(outputs), ((c, h) if returns_c_first else (h, c))

    return lstm_forward


MISTAKES = [
    mistake(
        "gate-order",
        "The four stacked gate blocks are read in an order other than nn.LSTMCell's (i, f, o, g with "
        "three sigmoids first, TensorFlow's i, g, f, o, Chainer's g, i, f, o, ...). PyTorch stacks the "
        "rows of W_ih, W_hh and the biases as i, f, g, o: input gate, forget gate, candidate "
        "C̃ₜ = tanh(·), output gate oₜ = σ(·). Slice `gates.chunk(4, 1)` in that order.",
        variants=[{"lstm_cell": _cell(order=order)} for order in ("igfo", "gifo", "fiog")],
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
        "The cell state comes first where the hidden state should: the contract, like PyTorch, returns "
        "(h_next, c_next) from lstm_cell and (output, (h_n, c_n)) from lstm_forward, the hidden state "
        "first in both.",
        variants=[
            {"lstm_cell": _cell(swap_return=True),
             "lstm_forward": _forward(cell=_cell(swap_return=True), cell_gives_c_first=True)},
            {"lstm_forward": _forward(returns_c_first=True)},
            {"lstm_cell": _cell(swap_return=True),
             "lstm_forward": _forward(cell=_cell(swap_return=True), cell_gives_c_first=True, returns_c_first=True)},
        ],
        lstm_cell=_cell(swap_return=True),  # lstm_forward unpacking it as (h, c) confuses the two states
    ),
    mistake(
        "concat-weights-mismatch",
        "The guide's concatenated form was built with its blocks in different orders: [hₜ₋₁, xₜ] was "
        "multiplied by [W_ih | W_hh] (or [xₜ, hₜ₋₁] by [W_hh | W_ih]), so the columns meant for xₜ meet "
        "hₜ₋₁ and vice versa (the widths add up to I + H either way, so nothing fails; with I = H it is "
        "exactly W_ih hₜ₋₁ + W_hh xₜ). W[hₜ₋₁, xₜ] needs W = [W_hh | W_ih]; simpler, compute "
        "W_ih xₜ + W_hh hₜ₋₁ separately.",
        variants=[{"lstm_cell": _cell(mismatched_concat="x-h")}],
        lstm_cell=_cell(mismatched_concat="h-x"),
    ),
    mistake(
        "unstable-sigmoid",
        "A hand-written sigmoid (or tanh) overflows on large pre-activations: 1 / (1 + exp(-z)) gives "
        "inf · 0 = NaN in the backward pass for very negative z, exp(z) / (1 + exp(z)) gives inf / inf = "
        "NaN for very positive z. Use torch.sigmoid and torch.tanh, which are stable for any z.",
        variants=[{"lstm_cell": _cell(gate=sigmoid_from_exp)}],
        predicate=non_finite_on_large_inputs,
        lstm_cell=_cell(gate=naive_sigmoid),
    ),
    mistake(
        "no-state-carry",
        "A state is not carried from one step to the next: some step starts again from h0 or c0 (or "
        "both). The recurrence hₜ, Cₜ = cell(xₜ, hₜ₋₁, Cₜ₋₁) feeds both states of each step into the "
        "next, and (h_n, c_n) are the states after the last step.",
        variants=[
            {"lstm_forward": _forward(carried="", stale_state=True)},
            {"lstm_forward": _forward(carried="h", stale_state=True)},
            {"lstm_forward": _forward(carried="h")},
        ],
        lstm_forward=_forward(carried=""),
    ),
    mistake(
        "output-off-by-one",
        "`output` holds the hidden state from before each step (h0, h₁, …, h_{T-1}) instead of after it "
        "(h₁, …, h_T): append hₜ once the cell has computed it, so output[-1] equals h_n.",
        lstm_forward=_forward(append_before_step=True),
    ),
]
