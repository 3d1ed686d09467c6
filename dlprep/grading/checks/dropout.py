"""Cases for `dropout`: dropout_forward(x, p, training, rng) -> (out, mask), dropout_backward(dout, mask) -> dx.

Mask convention (the statement's): `mask` is the *scaled* keep mask, 0 where a unit is dropped and
1/(1 − p) where it is kept, with x's shape and dtype; out = x·mask and dx = dout·mask. When nothing
is dropped (training=False, or p = 0) out equals x and mask is all ones.

A statistical kata: `FRESH_SEED` draws new seeds on every grade. A `np.random.Generator` cannot
travel to the learner's process, so every case carries a `seed` and `run` builds
`np.random.default_rng(seed)` there. Protocols (`args["protocol"]`):

- **judge** (`compare="judge"`): out, mask, dx = dropout_backward(dout, mask), and the generator's
  use (same seed → same result, another seed → another mask, np.random's global state untouched).
  `judge` checks exactly: shapes, dtypes, mask values in {0, 1/(1 − p)}, out = x·mask,
  dx = dout·mask, identity when nothing is dropped; and statistically, with bounds a correct
  implementation breaks with probability below 2e-9 each (Bernstein's inequality): the fraction
  of units kept (1 − p) and the independence of the mask between pairs of rows and of columns.
- **statistics** (`compare="reference"`): one draw on x of 2 × 100 000 nonzero entries, summarised:
  the fraction of units zeroed, out/x, mask and dx/dout where not zeroed, and the fraction of
  columns where rows 0 and 1 are both zeroed (p² for independent units). The reference's own
  draw gives the expected values, compared within 0.03 (`Case.scale`): two draws of the same
  distribution differ by less than 0.02 except with probability below 1e-8 (Bernstein), and
  every known mistake is ≥ 0.09 away on some output, so a submission reproducing a mistake with
  *other* random numbers still matches that mistake's outputs: this is what diagnosis compares.
- **rng**, **invalid** (`compare="reference"`): one boolean each, whether the function uses only the
  rng given, whether it raised ValueError for a p outside [0, 1).
- **gradient check** (`compare="self"`): dx against central differences of the submission's own
  forward pass (with the same seed, hence the same mask), whatever its mask convention.
- dropout_backward alone on given scaled masks (`compare="reference"`).

False failures: at most 6e-9 per judge case and 1.6e-8 per statistics case, below 1e-7 for a whole
grade (the contract asks for less than one in a million).
"""

from __future__ import annotations

import math

import numpy as np

from dlprep.grading import compare
from dlprep.grading.checks._statistics import bernstein_halfwidth, draw_seed, global_state, same_state
from dlprep.grading.checks._numeric import GRAD_CHECK_SCALE, entry_outputs, expected_at_entries
from dlprep.grading.compare import Difference, widened
from dlprep.grading.execute import ProtocolError
from dlprep.grading.spec import Case

FRESH_SEED = True

STATS_ATOL = 0.03
"""Absolute tolerance of the statistics cases."""
ULPS = 8
"""Exact relations (out = x·mask, dx = dout·mask) hold within this many units of rounding of the dtype."""
H = 1e-3
"""Step of the gradient checks: dropout is linear in x, so the central difference is exact up to rounding."""

JUDGE_OUTPUTS = ("out", "mask", "dx", "same seed, same result", "another seed, another result", "np.random untouched")
STATS_OUTPUTS = (
    "fraction of units zeroed",
    "out / x where not zeroed",
    "mask where not zeroed",
    "dx / dout where not zeroed",
    "fraction of columns with rows 0 and 1 both zeroed",
)
RNG_OUTPUTS = ("uses only the rng given",)
INVALID_OUTPUTS = ("raised ValueError",)


# -- calling the submission --------------------------------------------------------------------------


def _pair(result):
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        raise ProtocolError("dropout_forward must return a pair (out, mask)")
    return tuple(result)


def _equal(a, b) -> bool:
    try:
        return bool(np.array_equal(np.asarray(a), np.asarray(b)))
    except (TypeError, ValueError):
        return False


def _floats(value, name: str, shape: tuple[int, ...]) -> np.ndarray:
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ProtocolError(f"`{name}` must be a NumPy array; got {type(value).__name__}") from None
    if array.shape != shape:
        raise ProtocolError(f"`{name}` has shape {array.shape}, expected {shape} (the shape of x)")
    return array


def run(impl, case: Case, args: dict):
    if case.call == "dropout_backward":
        return impl.dropout_backward(args["dout"], args["mask"])
    forward = impl.dropout_forward
    x, p, training, seed, protocol = args["x"], args["p"], args["training"], args["seed"], args["protocol"]
    if protocol == "invalid":
        try:
            forward(x, p, training, np.random.default_rng(seed))
        except ValueError:
            return True
        return False

    original = x.copy()  # x itself goes to the first call, so that modifying it in place is seen
    before = global_state()
    out, mask = _pair(forward(x, p, training, np.random.default_rng(seed)))
    if protocol == "gradient check":
        return _gradient_check(impl, args, original, mask)
    if protocol == "statistics":
        return _statistics(impl, args, original, out, mask)
    again = _pair(forward(original.copy(), p, training, np.random.default_rng(seed)))
    other = _pair(forward(original.copy(), p, training, np.random.default_rng(seed + 1)))
    same = _equal(out, again[0]) and _equal(mask, again[1])
    differs = not (_equal(out, other[0]) and _equal(mask, other[1]))
    untouched = same_state(before, global_state())
    if protocol == "rng":
        return bool(same and differs and untouched)
    return out, mask, impl.dropout_backward(args["dout"], mask), same, differs, untouched


def _statistics(impl, args, x, out, mask):
    """x and dout have no zeros, so out == 0 exactly where a unit was dropped."""
    dx = _floats(impl.dropout_backward(args["dout"], mask), "dx", x.shape)
    out = _floats(out, "out", x.shape)
    mask = _floats(mask, "mask", x.shape)
    live = out != 0
    where = (lambda values: float(np.mean(values[live]))) if live.any() else (lambda values: math.nan)
    return (
        1.0 - float(np.mean(live)),
        where(out / x),
        where(mask),
        where(dx / args["dout"]),
        float(np.mean(~live[0] & ~live[1])),
    )


def _gradient_check(impl, args, original, mask):
    """dx at a few entries, and L = Σ dout·out with each entry moved by ±h (same seed, same mask)."""
    dout, p, seed, h = args["dout"], args["p"], args["seed"], args["h"]
    dx = _floats(impl.dropout_backward(dout, mask), "dx", original.shape)
    analytic, plus, minus = [], [], []
    for index in args["entries"]:
        analytic.append(float(dx[index]))
        for sign, losses in ((1.0, plus), (-1.0, minus)):
            moved = original.copy()
            moved[index] += sign * h
            out, _ = _pair(impl.dropout_forward(moved, p, True, np.random.default_rng(seed)))
            losses.append(float(np.sum(dout * _floats(out, "out", original.shape))))
    return (*analytic, *plus, *minus)


def self_expected(case: Case, outputs: dict) -> dict:
    """The central difference of the submission's own loss at each entry, by name of its gradient."""
    return expected_at_entries(case, outputs, [case.args["x"][index] for index in case.args["entries"]])


# -- the judge ---------------------------------------------------------------------------------------------


def _at(index: tuple[int, ...]) -> str:
    return f"[{', '.join(map(str, index))}]"


def _array_problem(name: str, value, like: np.ndarray, of: str = "x") -> str | None:
    if value is None:
        return f"`{name}` must be a NumPy array; got something else"
    value = np.asarray(value)
    if value.shape != like.shape:
        return f"`{name}` has shape {value.shape}, expected {like.shape} (the shape of {of})"
    if value.dtype != like.dtype and not widened(str(value.dtype), str(like.dtype)):
        return f"`{name}` has dtype {value.dtype}, expected {like.dtype} ({of}'s dtype) or a wider float"
    return None


def _mismatch(got: np.ndarray, want: np.ndarray, rtol: float) -> tuple[int, ...] | None:
    bad = ~(np.abs(got.astype(np.float64) - want) <= rtol * np.abs(want))
    return tuple(int(i) for i in np.argwhere(bad)[0]) if bad.any() else None


def judge(case: Case, outputs: dict) -> list[Difference]:
    """Exact checks of out, mask and dx, then the mask's statistics, then the generator's use."""
    dtype = np.dtype(case.dtype)
    x = case.args["x"].astype(dtype)
    dout = case.args["dout"].astype(dtype)
    p, training = case.args["p"], case.args["training"]
    for name, like, of in (("out", x, "x"), ("mask", x, "x"), ("dx", dout, "dout")):
        problem = _array_problem(name, outputs[name], like, of)
        if problem:
            return [Difference(False, problem)]
    out, mask, dx = (np.asarray(outputs[name]) for name in ("out", "mask", "dx"))
    rtol = ULPS * float(np.finfo(dtype).eps)
    if not training or p == 0:
        found = _identity(x, out, mask, dout, dx, p, training)
    else:
        found = _dropped(x, out, mask, dout, dx, p, rtol)
    return [*found, *_generator(outputs, mask.size, p, training)]


def _identity(x, out, mask, dout, dx, p, training) -> list[Difference]:
    why = "in eval mode (training=False) dropout is the identity" if not training else "with p = 0 nothing is dropped"
    found = []
    index = _mismatch(out, x.astype(np.float64), 0.0)
    message = ""
    if index is not None:
        message = f"{why}: out must equal x, but `out`{_at(index)} is {out[index]:.8g} and x there is {x[index]:.8g}"
        if not training and np.allclose(out, x * (1.0 - p)):
            message += (
                " (your out is x·(1 − p): with inverted dropout the scaling happens during training, by "
                "1/(1 − p), and eval does nothing)"
            )
    found.append(Difference(index is None, message))
    index = _mismatch(mask, np.ones(mask.shape), 0.0)
    found.append(
        Difference(
            index is None,
            f"{why}: `mask` must be all ones, so that dropout_backward(dout, mask) = dout; "
            f"`mask`{_at(index or ())} is {mask[index] if index is not None else ''}",
        )
    )
    index = _mismatch(dx, dout.astype(np.float64), 0.0)
    found.append(
        Difference(index is None, f"{why}: dx must equal dout, but `dx`{_at(index or ())} differs from dout there")
    )
    return found


def _dropped(x, out, mask, dout, dx, p, rtol) -> list[Difference]:
    scale = 1.0 / (1.0 - p)
    kept = mask != 0
    found = []

    index = _mismatch(np.where(kept, mask, scale), np.full(mask.shape, scale), 2 * rtol)
    message = ""
    if index is not None:
        value = float(mask[index])
        message = (
            f"`mask`{_at(index)} is {value:.8g}; the mask holds 0 where a unit is dropped and 1/(1 − p) = "
            f"{scale:.8g} where it is kept"
        )
        if math.isclose(value, 1.0):
            message += (
                ": this looks like a 0/1 keep mask. Inverted dropout scales the kept units by 1/(1 − p); return "
                "the scaled mask keep/(1 − p), so that out = x·mask and dropout_backward(dout, mask) = dout·mask"
            )
        elif math.isclose(value, 1.0 / p):
            message += ": kept units are scaled by 1/p; scale by one over the keep probability, 1/(1 − p)"
    found.append(Difference(index is None, message))

    want = x.astype(np.float64) * mask.astype(np.float64)
    index = _mismatch(out, want, rtol)
    found.append(
        Difference(
            index is None,
            f"`out`{_at(index or ())} is {out[index] if index is not None else 0:.8g}, but x·mask there is "
            f"{want[index] if index is not None else 0:.8g}: out must be x·mask, with the mask you return",
        )
    )

    agree = p * p + (1.0 - p) ** 2  # two independent units are both kept or both dropped
    for axis, what, advice in (
        (0, "rows 2i and 2i + 1 (samples of the batch)", "not one mask per feature shared by every sample"),
        (-1, "columns 2j and 2j + 1 (features)", "not one per sample"),
    ):
        pairs = _pairs(kept, axis)
        if pairs is None:
            continue
        a, b = pairs
        rate = float(np.mean(a == b))
        width = bernstein_halfwidth(a.size, agree)
        found.append(
            Difference(
                abs(rate - agree) <= width,
                f"{what} of the mask are kept or dropped alike in {rate:.4f} of their entries; independent units "
                f"agree with probability p² + (1 − p)² = {agree:.4f}, ±{width:.4f} except with probability below "
                "2e-9: draw one random number per element of x (rng.random(x.shape)), " + advice,
            )
        )

    n = mask.size
    rate = float(np.mean(kept))
    width = bernstein_halfwidth(n, 1.0 - p)
    swapped = abs(rate - p) <= width and abs(p - 0.5) > width
    found.append(
        Difference(
            abs(rate - (1.0 - p)) <= width,
            f"{rate:.4f} of the {n} units were kept; with p = {p} each unit is kept with probability 1 − p = "
            f"{1.0 - p:.4g}, and a correct implementation lands within ±{width:.4f} of it except with probability "
            "below 2e-9" + (": p is the probability of *dropping* a unit" if swapped else ""),
        )
    )

    want = dout.astype(np.float64) * mask.astype(np.float64)
    index = _mismatch(dx, want, rtol)
    message = ""
    if index is not None:
        message = (
            f"`dx`{_at(index)} is {dx[index]:.8g}, expected dout·mask = {want[index]:.8g}: out = x·mask, so "
            "∂L/∂x = ∂L/∂out · mask"
        )
        if _mismatch(dx, dout.astype(np.float64) * kept, rtol) is None:
            message += " (your dx is dout·(mask ≠ 0): the mask already holds the 1/(1 − p) scaling)"
    found.append(Difference(index is None, message))
    return found


def _pairs(kept: np.ndarray, axis: int):
    """Disjoint pairs of slices along `axis` (0 and 1, 2 and 3, ...): independent under a correct mask."""
    if kept.ndim == 0 or kept.shape[axis] < 2:
        return None
    moved = np.moveaxis(kept, axis, 0)
    half = moved.shape[0] // 2
    return moved[0 : 2 * half : 2], moved[1 : 2 * half : 2]


def _generator(outputs: dict, n: int, p: float, training: bool) -> list[Difference]:
    found = [
        Difference(
            bool(outputs["same seed, same result"]),
            "two calls with np.random.default_rng(seed) for the same seed gave different results: draw every "
            "random number from the `rng` argument, not from np.random.* or a new generator",
        ),
        Difference(
            bool(outputs["np.random untouched"]),
            "your function changed NumPy's global random state (np.random.seed, np.random.rand, ...): use only "
            "the `rng` argument",
        ),
    ]
    if training and p > 0:
        agree = p * p + (1.0 - p) ** 2
        if n * math.log(agree) < math.log(1e-10):  # two correct masks coincide with probability below 1e-10
            found.insert(
                1,
                Difference(
                    bool(outputs["another seed, another result"]),
                    "generators with different seeds dropped the same units: the mask must come from the `rng` "
                    "argument (is a seed fixed inside your function?)",
                ),
            )
    return found


# -- cases ----------------------------------------------------------------------------------------------------


def _shape(shape) -> str:
    return "×".join(map(str, shape))


def _nonzero(rng, shape):
    """Entries of magnitude 0.5 to 2 and random sign: never 0, so out == 0 exactly where a unit is dropped."""
    return rng.choice([-1.0, 1.0], size=shape) * rng.uniform(0.5, 2.0, size=shape)


def _forward_case(rng, name, shape, p, training, protocol, *, dtype="float64", relu=False, note="", **extra):
    x = rng.standard_normal(shape)
    if relu:
        x = np.maximum(x, 0.0)
    if protocol in ("statistics", "gradient check"):
        x = _nonzero(rng, shape)
    outputs = {"judge": JUDGE_OUTPUTS, "statistics": STATS_OUTPUTS, "rng": RNG_OUTPUTS, "invalid": INVALID_OUTPUTS}
    args = {"x": x, "p": p, "training": training, "seed": draw_seed(rng), "protocol": protocol}
    if protocol != "invalid":
        args["dout"] = _nonzero(rng, shape)
    kwargs = {}
    if protocol == "statistics":
        kwargs["scale"] = STATS_ATOL / compare.TOLERANCES["float64"][1]  # absolute tolerance STATS_ATOL
    if protocol == "gradient check":
        entries = tuple(tuple(int(rng.integers(s)) for s in shape) for _ in range(extra.pop("count")))
        names = [f"x{_at(index)}" for index in entries]
        args.update(entries=entries, h=H)
        outputs = {
            "gradient check": entry_outputs(names)
        }
        kwargs.update(compare="self", scale=GRAD_CHECK_SCALE)
    if protocol == "judge":
        kwargs["compare"] = "judge"
    return Case(
        name=f"{name}: x {_shape(shape)}, p = {p}, training={training}",
        call="dropout_forward",
        args=args,
        dtype=dtype,
        outputs=outputs[protocol],
        note=note,
        **kwargs,
    )


def _backward_case(rng, name, shape, p, *, dtype="float64", note=""):
    keep = rng.random(shape) >= p
    return Case(
        name=f"{name}: dout {_shape(shape)}",
        call="dropout_backward",
        args={"dout": rng.standard_normal(shape), "mask": keep / (1.0 - p)},
        dtype=dtype,
        outputs=("dx",),
        note=note,
    )


def cases(rng: np.random.Generator) -> list[Case]:
    statistics_note = (
        "one draw on 200 000 nonzero entries, summarised; compared within 0.03 with the reference's own draw "
        "(sampling noise stays below 0.02 except with probability below 1e-8). Expected: a fraction p "
        "zeroed in training (0 in eval); out/x, mask and dx/dout equal to 1/(1 − p) on the units kept (1 in "
        "eval); rows 0 and 1 both zeroed in a fraction p² of the columns (0 in eval)"
    )
    invalid = "p must satisfy 0 <= p < 1: raise ValueError otherwise, whatever `training` is"
    return [
        _forward_case(rng, "training", (200, 1500), 0.5, True, "judge"),
        _forward_case(rng, "training, float32", (400, 500), 0.1, True, "judge", dtype="float32",
                      note="x is float32: out, mask and dx stay float32"),
        _forward_case(rng, "training, 4-D x", (2, 3, 40, 500), 0.8, True, "judge"),
        _forward_case(rng, "training, after a ReLU", (300, 400), 0.3, True, "judge", relu=True,
                      note="half of x is exactly 0: the mask, not out, tells which units were kept"),
        _forward_case(rng, "training, batch of one", (1, 7), 0.3, True, "judge"),
        _forward_case(rng, "training, 1-D x, float32", (10,), 0.6, True, "judge", dtype="float32"),
        _forward_case(rng, "p = 0 in training", (5, 8), 0.0, True, "judge",
                      note="p = 0 drops nothing: out = x, mask all ones"),
        _forward_case(rng, "p = 0 in training, float32", (3, 4, 5), 0.0, True, "judge", dtype="float32"),
        _forward_case(rng, "eval", (6, 9), 0.4, False, "judge",
                      note="eval mode: out = x exactly, mask all ones, nothing scaled"),
        _forward_case(rng, "eval, float32, batch of one", (1, 5), 0.9, False, "judge", dtype="float32"),
        _forward_case(rng, "gradient check", (4, 6), 0.3, True, "gradient check", count=6,
                      note="expected = (L(x+h) − L(x−h))/2h with L = Σ dout·out from YOUR OWN forward pass, called "
                      "with the same seed (so the same mask): your dx disagrees with your out at that entry"),
        _forward_case(rng, "gradient check, 3-D x", (3, 2, 4), 0.6, True, "gradient check", count=6),
        _forward_case(rng, "statistics of one draw, training", (2, 100_000), 0.3, True, "statistics",
                      note=statistics_note),
        _forward_case(rng, "statistics of one draw, eval", (2, 100_000), 0.3, False, "statistics",
                      note=statistics_note),
        _forward_case(rng, "uses only the rng given", (20, 30), 0.3, True, "rng",
                      note="called twice with np.random.default_rng(seed) and once with another seed: the same seed "
                      "must give the same out and mask, another seed another mask, and np.random's global state "
                      "must not change"),
        _forward_case(rng, "p = 1", (3, 4), 1.0, True, "invalid", note=invalid),
        _forward_case(rng, "p < 0", (3, 4), -0.1, True, "invalid", note=invalid),
        _forward_case(rng, "p = 1 in eval", (3, 4), 1.0, False, "invalid", note=invalid),
        _backward_case(rng, "backward, batch of one", (1, 7), 0.3,
                       note="mask holds 0 or 1/(1 − p) = 1/0.7: dx = dout·mask"),
        _backward_case(rng, "backward, float32, 3-D", (4, 5, 6), 0.5, dtype="float32"),
        _backward_case(rng, "backward after eval (mask of ones)", (3, 8), 0.0, note="mask all ones: dx = dout"),
    ]
