"""Mistakes interviewers see in a GRU cell and its unrolling over time."""

import torch

from dlprep.grading.spec import mistake
from dlprep.solutions.mistakes._overflow import naive_sigmoid, non_finite_on_large_inputs, sigmoid_from_exp
from dlprep.solutions.mistakes._unroll import unroll


def _cell(
    *,
    order="rzn",
    gate=torch.sigmoid,
    guide_update=False,
    reset="after-matmul",
    b_hn_inside_reset=True,
    hidden_biases="rzn",
):
    """A GRU cell that reads the stacked blocks in `order` and applies the reset gate as `reset` says.

    reset: "after-matmul" (nn.GRUCell: r ⊙ (W_hn h + b_hn)), "before-matmul" (the guide's and Cho
    et al.'s W_hn (r ⊙ h) + b_hn), or "none" (the reset gate computed but never used).
    hidden_biases: the blocks of b_hh that are added.
    """

    def gru_cell(x, h, W_ih, W_hh, b_ih=None, b_hh=None):
        gi = x @ W_ih.T
        if b_ih is not None:
            gi = gi + b_ih
        W = dict(zip(order, W_hh.chunk(3, dim=0)))
        b = {k: v for k, v in zip(order, b_hh.chunk(3)) if k in hidden_biases} if b_hh is not None else {}
        i = dict(zip(order, gi.chunk(3, dim=1)))

        def hidden(block, state):  # W_h· state + b_h· (the bias only if given)
            out = state @ W[block].T
            return out + b[block] if block in b else out

        r = gate(i["r"] + hidden("r", h))
        z = gate(i["z"] + hidden("z", h))
        if reset == "before-matmul":
            h_part = hidden("n", r * h)
        elif reset == "none":
            h_part = hidden("n", h)
        elif b_hn_inside_reset:
            h_part = r * hidden("n", h)
        else:  # b_hn added after the reset gate: r ⊙ (W_hn h) + b_hn
            h_part = r * (h @ W["n"].T) + b.get("n", 0)
        n = torch.tanh(i["n"] + h_part)
        if guide_update:
            return (1 - z) * h + z * n
        return (1 - z) * n + z * h

    return gru_cell


MISTAKES = [
    mistake(
        "guide-update-convention",
        "The new state is (1 − z) ⊙ hₜ₋₁ + z ⊙ h̃ₜ, the guide's convention, where z weighs the candidate. "
        "nn.GRUCell's z weighs the old state: h' = (1 − z) ⊙ n + z ⊙ h. Same architecture (the guide's z is "
        "1 − PyTorch's z, i.e. σ of the negated pre-activation), but with PyTorch's weights the roles of z "
        "and 1 − z must be PyTorch's.",
        gru_cell=_cell(guide_update=True),
    ),
    mistake(
        "reset-before-matmul",
        "The reset gate is applied to hₜ₋₁ before the product, W_hn (r ⊙ h) + b_hn, as in the guide's "
        "h̃ₜ = tanh(W[rₜ ⊙ hₜ₋₁, xₜ]) (the original Cho et al. form). nn.GRUCell applies it after: "
        "n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)). The two differ even without biases: r scales the "
        "columns of W_hn in one, its rows in the other.",
        gru_cell=_cell(reset="before-matmul"),
    ),
    mistake(
        "guide-equations",
        "The cell follows the guide's equations as written, which are not nn.GRUCell's in two places. "
        "The update: the guide's hₜ = (1 − z) ⊙ hₜ₋₁ + z ⊙ h̃ₜ lets z weigh the candidate, PyTorch's "
        "h' = (1 − z) ⊙ n + z ⊙ h lets it weigh the old state. The reset: the guide's W (r ⊙ hₜ₋₁) resets "
        "the state before the product, PyTorch resets the product, r ⊙ (W_hn h + b_hn).",
        gru_cell=_cell(guide_update=True, reset="before-matmul"),
    ),
    mistake(
        "gate-order",
        "The stacked blocks are read in an order other than nn.GRUCell's (z, r, n as Keras writes it, or "
        "the candidate first). PyTorch stacks the rows of W_ih, W_hh and the biases as r, z, n: the first "
        "H rows are the reset gate, the next H the update gate, the last H the candidate. Slice "
        "`chunk(3, dim=1)` in that order.",
        variants=[{"gru_cell": _cell(order=order)} for order in ("rnz", "nzr", "znr", "nrz")],
        gru_cell=_cell(order="zrn"),
    ),
    mistake(
        "missing-b-hn-inside-reset",
        "b_hn is added outside the reset gate, r ⊙ (W_hn h) + b_hn. In nn.GRUCell it belongs to the hidden "
        "side that r scales: n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)). Keep the input and hidden "
        "products (with their biases) separate, and multiply the whole hidden part by r.",
        gru_cell=_cell(b_hn_inside_reset=False),
    ),
    mistake(
        "reset-gate-unused",
        "The candidate ignores the reset gate: n = tanh(W_in x + b_in + W_hn h + b_hn). The reset gate is "
        "what lets the GRU drop the old state when forming the candidate: n = tanh(W_in x + b_in + "
        "r ⊙ (W_hn h + b_hn)).",
        gru_cell=_cell(reset="none"),
    ),
    mistake(
        "missing-b-hh",
        "b_hh, or its candidate block b_hn, is not added. PyTorch keeps a bias on each side, W_ih x + b_ih "
        "and W_hh h + b_hh (the guide writes no biases at all): all three blocks of both must be added when "
        "they are given, b_hn inside the reset gate.",
        variants=[{"gru_cell": _cell(hidden_biases="rz")}],
        gru_cell=_cell(hidden_biases=""),
    ),
    mistake(
        "unstable-sigmoid",
        "A hand-written sigmoid (or tanh) overflows on large pre-activations: 1 / (1 + exp(-z)) gives "
        "inf · 0 = NaN in the backward pass for very negative z, exp(z) / (1 + exp(z)) gives inf / inf = "
        "NaN for very positive z. Use torch.sigmoid and torch.tanh, which are stable for any z.",
        variants=[{"gru_cell": _cell(gate=sigmoid_from_exp)}],
        predicate=non_finite_on_large_inputs,
        gru_cell=_cell(gate=naive_sigmoid),
    ),
    mistake(
        "no-state-carry",
        "Every step starts again from h0 instead of the previous step's state: the recurrence "
        "hₜ = cell(xₜ, hₜ₋₁) must feed each hₜ into the next step, and h_n is the state after the last one.",
        variants=[{"gru_forward": unroll(_cell(), carry_state=False, stale_state=True)}],
        gru_forward=unroll(_cell(), carry_state=False),
    ),
    mistake(
        "output-off-by-one",
        "`output` holds the hidden state from before each step (h0, h₁, …, h_{T-1}) instead of after it "
        "(h₁, …, h_T): append hₜ once the cell has computed it, so output[-1] equals h_n.",
        gru_forward=unroll(_cell(), append_before_step=True),
    ),
]
