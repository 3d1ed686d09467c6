"""Cases for `pooling`: max_pool2d_forward / max_pool2d_backward, avg_pool2d, global_avg_pool (NumPy).

The cache of max pooling is the submission's own, so `run` plays a training step in the
learner's process: `out, cache = max_pool2d_forward(x, kernel, stride)`, then
`dx = max_pool2d_backward(dout, cache)`, and returns arrays only. Forward cases return `out`,
backward cases `dx`.

Ties: PyTorch sends the gradient of a window to its FIRST maximum in row-major order (the first
max along rows, then columns), once per window; the last maximum and equal shares are accepted
readings (`solutions/readings/pooling.py`). Overlapping windows (stride < kernel) that share a
maximum add their gradients. Cases with integer-valued inputs are built to have ties.

Gradient checks (`compare="self"`): with L = Σ dout ⊙ max_pool2d_forward(x)[0], the submission's
dx is compared with central differences of its own forward at every entry of x. The inputs are
a shuffled grid of well-separated values (gaps ≥ 0.05, h = 1e-3): no window's maximum changes
under the step, max pooling is linear there, and the difference is exact up to rounding.
"""

from __future__ import annotations

import numpy as np

from dlprep.grading.checks._numeric import central_difference
from dlprep.grading.execute import ProtocolError
from dlprep.grading.spec import Case

STEP = 1e-3
"""Central-difference step: far below the 0.05 gap between any two input values."""


def _positions(n: int, kernel: int, stride: int) -> int:
    """How many windows the cases' `dout` must have along one axis (window starts that fit)."""
    return len(range(0, n - kernel + 1, stride))


def _forward(impl, x, kernel, stride):
    result = impl.max_pool2d_forward(x, kernel, stride)
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        raise ProtocolError("max_pool2d_forward must return (out, cache): the cache is what your backward needs")
    return result


def _backward(impl, dout, x, kernel, stride):
    try:
        _, cache = _forward(impl, x, kernel, stride)
    except NotImplementedError:
        try:  # name the backward too when it is still a stub
            impl.max_pool2d_backward(dout.copy(), None)
        except NotImplementedError:
            raise
        except Exception:  # noqa: BLE001 - written, but cannot run without a cache: report the forward
            pass
        raise
    return impl.max_pool2d_backward(dout, cache)


def _loss(impl, dout, x, kernel, stride):
    out = np.asarray(_forward(impl, x, kernel, stride)[0])
    if out.shape != dout.shape:
        raise ProtocolError(f"max_pool2d_forward returned out of shape {out.shape}, expected {dout.shape}")
    return float(np.sum(dout.astype(np.float64) * out.astype(np.float64)))


def _gradient_check(impl, args):
    x, dout, kernel, stride, h = args["x"], args["dout"], args["kernel"], args["stride"], args["h"]
    dx = np.asarray(_backward(impl, dout, x, kernel, stride))
    if dx.shape != x.shape:
        raise ProtocolError(f"`dx` has shape {dx.shape}, expected {x.shape} (shaped like x)")
    plus, minus = np.empty(x.shape), np.empty(x.shape)
    for index in np.ndindex(x.shape):
        for sign, table in ((1.0, plus), (-1.0, minus)):
            moved = x.copy()
            moved[index] += sign * h
            table[index] = _loss(impl, dout, moved, kernel, stride)
    return dx, plus, minus


def run(impl, case: Case, args: dict):
    if case.call == "max_pool2d_forward":
        return _forward(impl, **args)[0]
    if case.compare == "self":
        return _gradient_check(impl, args)
    if case.call == "max_pool2d_backward":
        return _backward(impl, args["dout"], args["x"], args["kernel"], args["stride"])
    return getattr(impl, case.call)(**args)


def self_expected(case: Case, outputs: dict) -> dict:
    """(L(x + h·e) − L(x − h·e)) / 2h from the submission's own forward, at every entry of x."""
    return {"dx": central_difference(case.args["x"], case.args["h"], outputs["L(x + h)"], outputs["L(x - h)"])}


def _shape_name(x, kernel, stride):
    return f"x {'×'.join(map(str, x.shape))}, kernel {kernel}, stride {stride}"


def _max_cases(rng, label, x, kernel, stride, *, dtype="float64", note=""):
    """A forward and a backward (forward, then backward on your own cache) case on the same x."""
    N, C, H, W = x.shape
    dout = rng.standard_normal((N, C, _positions(H, kernel, stride), _positions(W, kernel, stride)))
    name = f"{label}: {_shape_name(x, kernel, stride)}"
    return [
        Case(f"max_pool2d_forward, {name}", "max_pool2d_forward", {"x": x, "kernel": kernel, "stride": stride},
             dtype=dtype, note=note),
        Case(f"max_pool2d_backward, {name}", "max_pool2d_backward",
             {"dout": dout, "x": x, "kernel": kernel, "stride": stride},
             dtype=dtype, outputs=("dx",),
             note=f"dx = max_pool2d_backward(dout, cache) with your own cache from max_pool2d_forward(x); {note}"),
    ]


def _grad_check_case(rng, label, shape, kernel, stride):
    N, C, H, W = shape
    size = int(np.prod(shape))
    # distinct values 0.1 apart, shuffled, jittered by < 0.025: every window has one clear maximum
    x = ((rng.permutation(size) - size / 2) * 0.1 + rng.uniform(-0.025, 0.025, size)).reshape(shape)
    dout = rng.standard_normal((N, C, _positions(H, kernel, stride), _positions(W, kernel, stride)))
    return Case(
        name=f"gradient check, {label}: {_shape_name(x, kernel, stride)}",
        call="max_pool2d_backward",
        args={"dout": dout, "x": x, "kernel": kernel, "stride": stride, "h": STEP},
        outputs=("dx", "L(x + h)", "L(x - h)"),
        compare="self",
        scale=max(float(np.abs(dout).max()), 1.0),  # dx is made of dout's values, whatever x's size
        note="expected = (L(x+h) − L(x−h))/2h with L = Σ dout ⊙ max_pool2d_forward(x)[0] from YOUR OWN "
        "forward: your backward disagrees with your forward at that entry of x",
    )


def _avg_case(rng, label, shape, kernel, stride, *, dtype="float64", note=""):
    x = rng.standard_normal(shape)
    return Case(f"avg_pool2d, {label}: {_shape_name(x, kernel, stride)}", "avg_pool2d",
                {"x": x, "kernel": kernel, "stride": stride}, dtype=dtype, note=note)


def _global_case(rng, label, shape, *, dtype="float64", note=""):
    return Case(f"global_avg_pool, {label}: x {'×'.join(map(str, shape))}", "global_avg_pool",
                {"x": rng.standard_normal(shape) + 0.5}, dtype=dtype, note=note)


def _ties(rng, shape, levels):
    """Integer-valued inputs: most windows hold their maximum more than once."""
    x = rng.integers(0, levels, shape).astype(np.float64)
    x[0, 0, :2, :2] = 1.0  # one constant 2×2 block at least: every entry ties
    return x


def cases(rng: np.random.Generator) -> list[Case]:
    ties = ("ties: a window's gradient is passed on once, to one maximum (PyTorch's first, or the last) or in "
            "equal shares among the tied maxima, never in full to each of them")
    overlap = "stride < kernel: windows overlap, and an entry that is the max of several windows gets the sum of their gradients"
    dropped = "the last row/column of windows would be partial: it is dropped, and its entries get zero gradient"
    return [
        *_max_cases(rng, "2×2 windows, stride 2", rng.standard_normal((2, 3, 6, 8)), 2, 2),
        *_max_cases(rng, "odd sizes", rng.standard_normal((2, 2, 5, 7)), 2, 2, note=dropped),
        *_max_cases(rng, "overlapping 3×3 windows, stride 1", rng.standard_normal((2, 2, 6, 5)), 3, 1, note=overlap),
        *_max_cases(rng, "overlapping 3×3 windows, stride 2", rng.standard_normal((2, 2, 7, 8)), 3, 2, note=overlap),
        *_max_cases(rng, "ties, 2×2 windows, stride 2", _ties(rng, (2, 2, 4, 6), 3), 2, 2, note=ties),
        *_max_cases(rng, "ties and overlap, 3×3 windows, stride 1", _ties(rng, (2, 2, 5, 6), 2), 3, 1,
                    note=f"{ties}; {overlap}"),
        *_max_cases(rng, "gaps, 2×2 windows, stride 3", rng.standard_normal((2, 2, 8, 7)), 2, 3,
                    note="stride > kernel: entries between windows are in no window and get zero gradient"),
        *_max_cases(rng, "all negative", -np.abs(rng.standard_normal((2, 3, 4, 6))) - 0.5, 2, 2,
                    note="every value is negative: the max of a window is negative too (start from -inf or the "
                    "window itself, not from 0)"),
        *_max_cases(rng, "batch of one, single channel, one window", rng.standard_normal((1, 1, 3, 3)), 3, 1,
                    note="the window covers the whole 3×3 image: output 1×1"),
        *_max_cases(rng, "float32, 2×2 windows, stride 2", rng.standard_normal((2, 3, 4, 6)), 2, 2, dtype="float32",
                    note="float32 inputs: float32 tolerances; float64 out is fine too"),
        *_max_cases(rng, "float32, ties and overlap, 3×3 windows, stride 2", _ties(rng, (1, 2, 7, 5), 3), 3, 2,
                    dtype="float32", note=f"float32 inputs; {ties}"),
        _grad_check_case(rng, "2×2 windows, stride 2", (1, 2, 4, 5), 2, 2),
        _grad_check_case(rng, "overlapping 3×3 windows, stride 1", (2, 1, 5, 4), 3, 1),
        _grad_check_case(rng, "overlapping 2×2 windows, stride 1", (1, 2, 3, 4), 2, 1),
        _avg_case(rng, "2×2 windows, stride 2", (2, 3, 6, 8), 2, 2),
        _avg_case(rng, "overlapping 3×3 windows, stride 1", (2, 2, 5, 6), 3, 1,
                  note="each window is k × k = 9 entries: divide the sum by kernel², not kernel"),
        _avg_case(rng, "odd sizes, 3×3 windows, stride 2", (1, 2, 7, 6), 3, 2, note=dropped),
        _avg_case(rng, "gaps, 2×2 windows, stride 3", (2, 1, 8, 7), 2, 3),
        _avg_case(rng, "batch of one, single channel", (1, 1, 4, 4), 2, 2),
        _avg_case(rng, "float32, 3×3 windows, stride 2", (2, 3, 7, 7), 3, 2, dtype="float32",
                  note="float32 inputs: float32 tolerances; float64 out is fine too"),
        _global_case(rng, "H ≠ W", (2, 3, 4, 5), note="the mean over H and W (axes 2, 3) of each channel: (N, C)"),
        _global_case(rng, "batch of one, single channel", (1, 1, 3, 3), note="keep both axes: shape (1, 1)"),
        _global_case(rng, "1×1 images", (3, 2, 1, 1), note="already 1×1: the result is x[:, :, 0, 0]"),
        _global_case(rng, "W = C", (2, 4, 3, 4), note="W = C: averaging the wrong axes can give the right shape"),
        _global_case(rng, "float32", (2, 4, 6, 5), dtype="float32", note="float32 inputs: float32 tolerances; float64 out is fine too"),
    ]
