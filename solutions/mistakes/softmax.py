"""Mistakes interviewers see in softmax and log-softmax."""

import math

import numpy as np

from dlprep.grading import compare
from dlprep.grading.spec import mistake
from dlprep.solutions import softmax as sm


def _slice_max(z, axis):
    return z.max(axis=axis, keepdims=True)


def _slice_sum(e, axis):
    return e.sum(axis=axis, keepdims=True)


def _softmax(*, shift=_slice_max, total=_slice_sum, fixed_axis=None, in_place=False):
    def softmax(z, axis=-1):
        axis = axis if fixed_axis is None else fixed_axis
        if in_place:
            z -= shift(z, axis)  # the caller's array
            e = np.exp(z)
        else:
            e = np.exp(z - shift(z, axis))
        return e / total(e, axis)

    return softmax


def _log_softmax(*, shift=_slice_max, total=_slice_sum, fixed_axis=None, in_place=False,
                 combine=lambda z, m, log_total: (z - m) - log_total):
    """`combine(z, m, log Σ exp(z − m))` forms the result; in place, z is already shifted by m."""
    def log_softmax(z, axis=-1):
        axis = axis if fixed_axis is None else fixed_axis
        m = shift(z, axis)
        if in_place:
            z -= m  # the caller's array
            return z - np.log(total(np.exp(z), axis))
        return combine(z, m, np.log(total(np.exp(z - m), axis)))

    return log_softmax


def _silenced(fn):
    """The same function, written under np.errstate(all="ignore"): no warnings, the same values."""
    def silenced(z, axis=-1):
        with np.errstate(all="ignore"):
            return fn(z, axis)

    return silenced


def _no_shift(z, axis):
    return 0.0


def _mean_shift(z, axis):
    return z.mean(axis=axis, keepdims=True)


def _global_max(z, axis):
    return z.max()


def _global_sum(e, axis):
    return e.sum()


def _max_no_keepdims(z, axis):
    return z.max(axis=axis)


def _sum_no_keepdims(e, axis):
    return e.sum(axis=axis)


def _log_of_softmax(z, axis=-1):
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return np.log(e / e.sum(axis=axis, keepdims=True))  # probabilities below 1e-308 are 0, log(0) = -inf


def _row_by_row(row_fn):
    """`row_fn` applied with Python's math to each slice along `axis`: math.exp raises OverflowError
    where np.exp returns inf, and math.log(0) raises ValueError where np.log returns −inf."""
    def per_slice(z, axis=-1):
        moved = np.moveaxis(z, axis, -1)
        out = np.empty_like(moved)
        for index in np.ndindex(moved.shape[:-1]):
            out[index] = row_fn([float(v) for v in moved[index]])
        return np.moveaxis(out, -1, axis)

    return per_slice


def _math_softmax(row):
    exps = [math.exp(v) for v in row]
    return [e / sum(exps) for e in exps]


def _math_log_softmax(row):
    log_total = math.log(sum(math.exp(v) for v in row))
    return [v - log_total for v in row]


def _non_finite_on_large(call):
    """`call`'s output is not finite on a case of logits of magnitude 1e4 (where the answer is)."""
    return lambda case, outputs: case.call == call and "large" in case.tags and not np.isfinite(outputs["out"]).all()


EPSILONS = (1e-6, 1e-7, 1e-8, 1e-9, 1e-10, 1e-12, 1e-15, 1e-20)
"""The ε learners put under the log: log(p + ε), log(max(p, ε))."""


def _log_of_floored_softmax(case, outputs) -> bool:
    """log_softmax as log(p + ε) or log(max(p, ε)) for one of the usual ε, wherever that differs from log p."""
    if case.call != "log_softmax":
        return False
    z = np.asarray(case.args["z"]).astype(case.dtype).astype(np.float64)
    out = np.asarray(outputs["out"], dtype=np.float64)
    with np.errstate(all="ignore"):
        p = sm.softmax(z, case.args.get("axis", -1))
        log_p = sm.log_softmax(z, case.args.get("axis", -1))
        floored = [np.log(f) for eps in EPSILONS for f in (p + eps, np.maximum(p, eps))]
    tol = compare.Tolerance.for_case(case.dtype, case.scale if case.scale is not None else compare.scale_of(case.args))

    def close(a, b):  # as the grader compares
        return np.allclose(a, b, rtol=tol.rtol, atol=tol.atol)

    return out.shape == z.shape and any(not close(f, log_p) and close(out, f) for f in floored)


MISTAKES = [
    mistake(
        "no-max-subtraction",
        "softmax exponentiates logits not shifted below 0 (the raw logits, or shifted by their mean): "
        "exp(z) overflows to inf above z ≈ 709 (88.7 in float32) and inf/inf is NaN; below z ≈ −745 "
        "every exp is 0 and 0/0 is NaN (math.exp raises OverflowError instead). Softmax is unchanged "
        "by subtracting a constant from each slice, softmax(z) = softmax(z − max z): subtract the max "
        "along `axis` first.",
        variants=[{"softmax": _softmax(shift=_mean_shift)}, {"softmax": _row_by_row(_math_softmax)}],
        predicate=_non_finite_on_large("softmax"),
        softmax=_softmax(shift=_no_shift),
    ),
    mistake(
        "naive-logsumexp",
        "log_softmax computes z − log Σ exp(z) without shifting: exp(z) overflows for logits of "
        "magnitude 1e3 and log(inf) = inf (for logits near −1e4, every exp is 0 and log 0 = −inf; with "
        "Python's math, exp raises OverflowError and log(0) ValueError). Use "
        "the log-sum-exp trick with m = max z along `axis`: log softmax(z) = (z − m) − log Σ exp(z − m).",
        variants=[{"log_softmax": _row_by_row(_math_log_softmax)}],
        predicate=_non_finite_on_large("log_softmax"),
        log_softmax=_log_softmax(shift=_no_shift),
    ),
    mistake(
        "log-of-softmax",
        "log_softmax takes log(softmax(z)): the softmax is stable, but a probability below ~1e-308 "
        "(e.g. a logit 1e4 below the max, or a −inf entry) is 0 and log(0) = −inf with a "
        "divide-by-zero warning, where the answer is a finite (or −inf, without warning) log-"
        "probability; log(p + ε) gives log ε there instead. Compute it directly: (z − m) − log Σ exp(z − m).",
        variants=[{"log_softmax": _silenced(_log_of_softmax)}],
        predicate=_log_of_floored_softmax,
        log_softmax=_log_of_softmax,
    ),
    mistake(
        "logsumexp-max-dropped",
        "The log-sum-exp loses the max it shifted by: log Σ exp(z) = m + log Σ exp(z − m), so "
        "log softmax(z) = z − m − log Σ exp(z − m). Your result is off by m (or 2m) in every slice: "
        "the m was not added back, or was subtracted instead.",
        variants=[{"log_softmax": _log_softmax(combine=lambda z, m, log_total: z + m - log_total)}],
        log_softmax=_log_softmax(combine=lambda z, m, log_total: z - log_total),
    ),
    mistake(
        "wrong-axis",
        "The `axis` argument is ignored: the max and the sum always run over one fixed axis (the last, "
        "or axis 1). softmax(z, axis=0) normalises each column (slices along axis 0) to sum to 1; pass "
        "`axis` to max and sum (with keepdims=True).",
        variants=[{"softmax": _softmax(fixed_axis=1), "log_softmax": _log_softmax(fixed_axis=1)}],
        softmax=_softmax(fixed_axis=-1),
        log_softmax=_log_softmax(fixed_axis=-1),
    ),
    mistake(
        "max-over-whole-array",
        "The max subtracted is the max of the whole array (z.max()), not of each slice along "
        "`axis`. It is mathematically allowed only as a constant per slice, and numerically it "
        "fails when slices sit far apart: a row 2000 below the global max underflows to all zeros "
        "(0/0 = NaN, log 0 = −inf). Use z.max(axis=axis, keepdims=True).",
        variants=[{"softmax": _silenced(_softmax(shift=_global_max)), "log_softmax": _silenced(_log_softmax(shift=_global_max))}],
        softmax=_softmax(shift=_global_max),
        log_softmax=_log_softmax(shift=_global_max),
    ),
    mistake(
        "sum-over-whole-array",
        "The normaliser sums over the whole array (e.sum()), not along `axis`: the probabilities "
        "of all rows together sum to 1 instead of each row's. Sum with axis=axis, keepdims=True.",
        softmax=_softmax(total=_global_sum),
        log_softmax=_log_softmax(total=_global_sum),
    ),
    mistake(
        "missing-keepdims",
        "The max or the sum drops the reduced axis (no keepdims=True), so broadcasting lines it "
        "up with the wrong axis: for a square (n, n) input, row i's sum divides column i, and "
        "other shapes fail to broadcast. Use keepdims=True (or np.expand_dims) so each slice is "
        "shifted and divided by its own max and sum.",
        variants=[{"softmax": _softmax(total=_sum_no_keepdims), "log_softmax": _log_softmax(total=_sum_no_keepdims)}],
        softmax=_softmax(shift=_max_no_keepdims, total=_sum_no_keepdims),
        log_softmax=_log_softmax(shift=_max_no_keepdims, total=_sum_no_keepdims),
    ),
    mistake(
        "modifies-input",
        "The max is subtracted from `z` in place (z -= z.max(...)), which changes the caller's array: "
        "their logits are gone after the call. Inputs are read-only: write shifted = z − z.max(...), a "
        "new array.",
        softmax=_softmax(in_place=True),
        log_softmax=_log_softmax(in_place=True),
    ),
]
