"""Mistakes interviewers see in softmax and log-softmax."""

import numpy as np

from dlprep.grading.spec import mistake


def _softmax(*, shift=lambda z, axis: z.max(axis=axis, keepdims=True), total=lambda e, axis: e.sum(axis=axis, keepdims=True),
             fixed_axis=None):
    def softmax(z, axis=-1):
        axis = axis if fixed_axis is None else fixed_axis
        e = np.exp(z - shift(z, axis))
        return e / total(e, axis)

    return softmax


def _log_softmax(*, shift=lambda z, axis: z.max(axis=axis, keepdims=True), total=lambda e, axis: e.sum(axis=axis, keepdims=True),
                 fixed_axis=None):
    def log_softmax(z, axis=-1):
        axis = axis if fixed_axis is None else fixed_axis
        shifted = z - shift(z, axis)
        return shifted - np.log(total(np.exp(shifted), axis))

    return log_softmax


def _no_shift(z, axis):
    return 0.0


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


MISTAKES = [
    mistake(
        "no-max-subtraction",
        "softmax exponentiates the raw logits: exp(z) overflows to inf above z ≈ 709 (88.7 in "
        "float32) and inf/inf is NaN; below z ≈ −745 every exp is 0 and 0/0 is NaN. Softmax is "
        "unchanged by subtracting a constant from each slice, softmax(z) = softmax(z − max z): "
        "subtract the max along `axis` first.",
        softmax=_softmax(shift=_no_shift),
    ),
    mistake(
        "naive-logsumexp",
        "log_softmax computes z − log Σ exp(z) without shifting: exp(z) overflows for logits of "
        "magnitude 1e3 and log(inf) = inf. Use the log-sum-exp trick with m = max z along `axis`: "
        "log softmax(z) = (z − m) − log Σ exp(z − m).",
        log_softmax=_log_softmax(shift=_no_shift),
    ),
    mistake(
        "log-of-softmax",
        "log_softmax takes log(softmax(z)): the softmax is stable, but a probability below ~1e-308 "
        "(e.g. a logit 1e4 below the max, or a −inf entry) is 0 and log(0) = −inf with a "
        "divide-by-zero warning, where the answer is a finite (or −inf, without warning) log-"
        "probability. Compute it directly: (z − m) − log Σ exp(z − m).",
        log_softmax=_log_of_softmax,
    ),
    mistake(
        "wrong-axis",
        "The `axis` argument is ignored: the max and the sum always run over the last axis. "
        "softmax(z, axis=0) normalises each column (slices along axis 0) to sum to 1; pass `axis` "
        "to max and sum (with keepdims=True).",
        softmax=_softmax(fixed_axis=-1),
        log_softmax=_log_softmax(fixed_axis=-1),
    ),
    mistake(
        "max-over-whole-array",
        "The max subtracted is the max of the whole array (z.max()), not of each slice along "
        "`axis`. It is mathematically allowed only as a constant per slice, and numerically it "
        "fails when slices sit far apart: a row 2000 below the global max underflows to all zeros "
        "(0/0 = NaN, log 0 = −inf). Use z.max(axis=axis, keepdims=True).",
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
        "The max and the sum drop the reduced axis (no keepdims=True), so broadcasting lines them "
        "up with the wrong axis: for a square (n, n) input, row i's sum divides column i, and "
        "other shapes fail to broadcast. Use keepdims=True (or np.expand_dims) so each slice is "
        "shifted and divided by its own max and sum.",
        softmax=_softmax(shift=_max_no_keepdims, total=_sum_no_keepdims),
        log_softmax=_log_softmax(shift=_max_no_keepdims, total=_sum_no_keepdims),
    ),
]
