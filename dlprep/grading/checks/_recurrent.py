"""Case builders shared by the recurrent katas (`rnn`, `gru`, `lstm`): they differ only in how
many gate blocks the weights stack, the kata's prefix, and whether a cell state travels beside h."""

from __future__ import annotations

import numpy as np

from dlprep.grading.spec import Case


def params(rng, I, H, *, gates, biases, weight_scale):
    """(W_ih, W_hh, b_ih, b_hh) as a dict, `gates` blocks of H rows each; the biases are left out
    (None) when `biases` is False."""
    args = {
        "W_ih": rng.standard_normal((gates * H, I)) * weight_scale,
        "W_hh": rng.standard_normal((gates * H, H)) * weight_scale,
    }
    if biases:
        args["b_ih"] = rng.standard_normal(gates * H) * 0.5
        args["b_hh"] = rng.standard_normal(gates * H) * 0.5
    return args


def cell_case(rng, name, B, I, H, *, kata, gates, cell_state=False, biases=True, dtype="float64", x_scale=1.0,
              weight_scale=0.6, note="", zero=(), **fields):
    """`zero`: inputs set to zeros and left out of the gradients compared, as if absent (a probe without
    a state or a bias); `fields`: more of `Case`'s."""
    args = {
        "x": rng.standard_normal((B, I)) * x_scale,
        "h": rng.uniform(-1.0, 1.0, (B, H)),
    }
    if cell_state:
        args["c"] = rng.standard_normal((B, H))
    args.update(params(rng, I, H, gates=gates, biases=biases, weight_scale=weight_scale))
    args.update({input_name: np.zeros_like(args[input_name]) for input_name in zero})
    outputs = ("h_next", "c_next") if cell_state else ("h_next",)
    return Case(
        name=name,
        call=f"{kata}_cell",
        args=args,
        dtype=dtype,
        grad=tuple(name for name in args if name not in zero),
        upstream=tuple(rng.standard_normal((B, H)) for _ in outputs),
        outputs=outputs,
        note=note,
        **fields,
    )


def forward_case(rng, name, T, B, I, H, *, kata, gates, cell_state=False, biases=True, dtype="float64", x_scale=1.0,
                 weight_scale=0.6, note="", **fields):
    args = {
        "x": rng.standard_normal((T, B, I)) * x_scale,
        "h0": rng.uniform(-1.0, 1.0, (B, H)),
    }
    if cell_state:
        args["c0"] = rng.standard_normal((B, H))
    args.update(params(rng, I, H, gates=gates, biases=biases, weight_scale=weight_scale))
    states = ("h_n", "c_n") if cell_state else ("h_n",)
    return Case(
        name=name,
        call=f"{kata}_forward",
        args=args,
        dtype=dtype,
        grad=tuple(args),
        upstream=(rng.standard_normal((T, B, H)), *(rng.standard_normal((B, H)) for _ in states)),
        outputs=("output", *states),
        note=note,
        **fields,
    )
