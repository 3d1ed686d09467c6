"""Cases for `conv2d`: conv_output_size, conv2d_forward and conv2d_backward (NumPy).

Reference cases compare sizes, outputs and the three gradients with the reference. Gradient
checks (`compare="self"`) need no reference: for L = Σ dout ⊙ conv2d_forward(x, w, b), `run`
asks the submission's backward for (dx, dw, db) and its own forward for L with every entry of
x, w and b moved by ±h in turn; `self_expected` turns those into central differences in the
grader's process. The forward is linear in each of x, w and b, so the central difference is
exact up to rounding (about 1e-12 here): any disagreement is a bug, named by entry.
"""

from __future__ import annotations

import numpy as np

from dlprep.grading.checks._numeric import central_difference
from dlprep.grading.execute import ProtocolError
from dlprep.grading.spec import Case

STEP = 1e-3
"""Step of the central differences: the forward is linear, so only rounding, ε·|L|/h, is left."""

GRADS = ("dx", "dw", "db")
PARAMS = ("x", "w", "b")


def _positions(n: int, kernel: int, stride: int, padding: int) -> int:
    """How many windows the cases' `dout` must have along one axis (window starts that fit)."""
    return len(range(0, n + 2 * padding - kernel + 1, stride))


def _as_size(value):
    """conv_output_size's answer as a 0-d array: an int64 one for ints, so a float is named by dtype."""
    if isinstance(value, (bool, np.bool_)):
        raise ProtocolError(f"conv_output_size must return an int, got {value!r}")
    if isinstance(value, (int, np.integer)):
        return np.asarray(int(value), dtype=np.int64)
    if isinstance(value, (float, np.floating)):
        return np.asarray(float(value), dtype=np.float64)
    if isinstance(value, np.ndarray) and value.shape == ():
        return value.astype(np.int64) if value.dtype.kind in "iu" else value.astype(np.float64)
    raise ProtocolError(f"conv_output_size must return an int, got {type(value).__name__}")


def _loss(impl, dout, x, w, b, stride, padding):
    out = np.asarray(impl.conv2d_forward(x, w, b, stride=stride, padding=padding))
    if out.shape != dout.shape:
        raise ProtocolError(f"conv2d_forward returned shape {out.shape}, expected {dout.shape}")
    return float(np.sum(dout.astype(np.float64) * out.astype(np.float64)))


def _gradient_check(impl, args):
    grads = impl.conv2d_backward(args["dout"], args["x"], args["w"], args["b"], stride=args["stride"], padding=args["padding"])
    if not isinstance(grads, (tuple, list)) or len(grads) != 3:
        raise ProtocolError("conv2d_backward must return (dx, dw, db)")
    grads = [np.asarray(g) for g in grads]
    for name, param, g in zip(GRADS, PARAMS, grads):
        if g.shape != args[param].shape:
            raise ProtocolError(f"`{name}` has shape {g.shape}, expected {args[param].shape} (shaped like {param})")
    plus, minus = [], []
    for param in PARAMS:
        value = args[param]
        up, down = np.empty(value.shape), np.empty(value.shape)
        for index in np.ndindex(value.shape):
            for sign, table in ((1.0, up), (-1.0, down)):
                moved = {name: args[name].copy() for name in PARAMS}
                moved[param][index] += sign * args["h"]
                table[index] = _loss(impl, args["dout"], moved["x"], moved["w"], moved["b"], args["stride"], args["padding"])
        plus.append(up)
        minus.append(down)
    return (*grads, *plus, *minus)


def run(impl, case: Case, args: dict):
    if case.call == "conv_output_size":
        return _as_size(impl.conv_output_size(**args))
    if case.compare == "self":
        return _gradient_check(impl, args)
    return getattr(impl, case.call)(**args)


def self_expected(case: Case, outputs: dict) -> dict:
    """(L(θ + h·e) − L(θ − h·e)) / 2h from the submission's own forward, entry by entry."""
    return {
        name: central_difference(case.args[param], case.args["h"], outputs[case.outputs[3 + k]], outputs[case.outputs[6 + k]])
        for k, (name, param) in enumerate(zip(GRADS, PARAMS))
    }


def _size_case(n, kernel, stride, padding, note=""):
    return Case(
        name=f"conv_output_size(n={n}, kernel={kernel}, stride={stride}, padding={padding})",
        call="conv_output_size",
        args={"n": n, "kernel": kernel, "stride": stride, "padding": padding},
        outputs=("size",),
        note=note or "an int: ⌊(n + 2·padding − kernel) / stride⌋ + 1",
    )


def _draw(rng, N, C, H, W, F, KH, KW, stride, padding):
    x = rng.standard_normal((N, C, H, W))
    w = rng.standard_normal((F, C, KH, KW)) / np.sqrt(C * KH * KW)
    b = rng.standard_normal(F)
    dout = rng.standard_normal((N, F, _positions(H, KH, stride, padding), _positions(W, KW, stride, padding)))
    return x, w, b, dout


def _shape_name(N, C, H, W, F, KH, KW, stride, padding):
    return f"x {N}×{C}×{H}×{W}, w {F}×{C}×{KH}×{KW}, stride {stride}, padding {padding}"


def _conv_cases(rng, label, N, C, H, W, F, KH, KW, stride, padding, *, dtype="float64", note=""):
    """One forward and one backward case on the same inputs."""
    x, w, b, dout = _draw(rng, N, C, H, W, F, KH, KW, stride, padding)
    name = f"{label}: {_shape_name(N, C, H, W, F, KH, KW, stride, padding)}"
    hyper = {"stride": stride, "padding": padding}
    return [
        Case(f"forward, {name}", "conv2d_forward", {"x": x, "w": w, "b": b, **hyper}, dtype=dtype, note=note),
        Case(
            f"backward, {name}",
            "conv2d_backward",
            {"dout": dout, "x": x, "w": w, "b": b, **hyper},
            dtype=dtype,
            outputs=GRADS,
            note=note,
        ),
    ]


def _grad_check_case(rng, label, N, C, H, W, F, KH, KW, stride, padding):
    x, w, b, dout = _draw(rng, N, C, H, W, F, KH, KW, stride, padding)
    outputs = (*GRADS, *(f"L({p} + h)" for p in PARAMS), *(f"L({p} - h)" for p in PARAMS))
    return Case(
        name=f"gradient check, {label}: {_shape_name(N, C, H, W, F, KH, KW, stride, padding)}",
        call="conv2d_backward",
        args={"dout": dout, "x": x, "w": w, "b": b, "stride": stride, "padding": padding, "h": STEP},
        outputs=outputs,
        compare="self",
        note="expected = (L(θ+h) − L(θ−h))/2h with L = Σ dout ⊙ conv2d_forward(x, w, b) from YOUR OWN forward: "
        "your backward disagrees with your forward at that entry",
    )


def cases(rng: np.random.Generator) -> list[Case]:
    floor = "the last window would hang past the padded edge: it is dropped, ⌊(n + 2p − k)/s⌋ + 1"
    return [
        _size_case(5, 3, 1, 0),
        _size_case(32, 3, 1, 1, note="'same' padding: p = (k − 1)/2 keeps the size at stride 1"),
        _size_case(7, 3, 2, 1),
        _size_case(6, 3, 2, 1, note=f"(6 + 2 − 3)/2 = 2.5: {floor}"),
        _size_case(8, 2, 3, 2, note=f"(8 + 4 − 2)/3 = 3.33: {floor}"),
        _size_case(224, 7, 2, 3, note=f"ResNet's stem, (224 + 6 − 7)/2 = 111.5: {floor}"),
        _size_case(10, 4, 3, 0, note=f"(10 − 4)/3 = 2 exactly, but (11 − 4)/3 would not be: {floor}"),
        _size_case(11, 4, 3, 0, note=f"(11 − 4)/3 = 2.33: {floor}"),
        _size_case(5, 5, 1, 0, note="the kernel covers the whole input: one position"),
        *_conv_cases(rng, "stride 1, no padding", 2, 3, 5, 6, 4, 3, 3, 1, 0,
                     note="cross-correlation as F.conv2d: the kernel is not flipped"),
        *_conv_cases(rng, "stride 2, padding 1", 2, 2, 7, 6, 3, 3, 3, 2, 1,
                     note="W: (6 + 2 − 3)/2 = 2.5, the last column of windows is dropped; "
                     "padding adds p zeros on every side"),
        *_conv_cases(rng, "stride 3, padding 2, non-square kernel", 2, 2, 8, 10, 3, 2, 4, 3, 2,
                     note="H: (8 + 4 − 2)/3 and W: (10 + 4 − 4)/3 are not integers: partial windows are dropped; "
                     "rows of the kernel follow H, columns W"),
        *_conv_cases(rng, "batch of one, single channel", 1, 1, 6, 5, 2, 3, 2, 1, 1,
                     note="N = C = 1: keep the batch and channel axes"),
        *_conv_cases(rng, "1×1 kernel, stride 2", 3, 4, 5, 5, 2, 1, 1, 2, 0,
                     note="a 1×1 convolution mixes channels only; stride 2 keeps every other pixel"),
        *_conv_cases(rng, "kernel as large as the padded input", 2, 2, 3, 4, 3, 5, 6, 1, 1,
                     note="one output position, reading the padding on all four sides"),
        *_conv_cases(rng, "overlapping windows, stride 2", 2, 3, 9, 7, 2, 5, 3, 2, 2,
                     note="stride < kernel: windows overlap, and dx adds every window's contribution"),
        *_conv_cases(rng, "float32, stride 2, padding 1", 2, 3, 6, 7, 4, 3, 3, 2, 1, dtype="float32",
                     note="float32 inputs: float32 tolerances; float64 out is fine too"),
        *_conv_cases(rng, "float32, stride 1, padding 2, non-square kernel", 1, 2, 5, 4, 3, 2, 3, 1, 2, dtype="float32",
                     note="float32 inputs: float32 tolerances; float64 out is fine too"),
        _grad_check_case(rng, "stride 2, padding 1", 2, 2, 5, 4, 3, 3, 2, 2, 1),
        _grad_check_case(rng, "stride 1, padding 0", 1, 2, 4, 5, 2, 2, 3, 1, 0),
        _grad_check_case(rng, "stride 3, padding 2", 1, 1, 7, 6, 2, 3, 3, 3, 2),
    ]
