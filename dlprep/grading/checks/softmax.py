"""Cases for `softmax`: softmax(z, axis=-1) and log_softmax(z, axis=-1).

The contract asks for no warnings: every call runs with NumPy's floating-point warnings
recorded (the activations kata's `run`), and each case has, before `out`, one output per kind
of warning, 1 if NumPy raised it during the call and 0 if not. A failure reads
"`numpy RuntimeWarning 'divide by zero encountered'` is 1, expected 0": log(softmax(z)) of a
−inf entry gives the right −inf, but only after log(0) warned.
"""

from __future__ import annotations

import numpy as np

from dlprep.grading.checks.activations import OUTPUTS, run  # noqa: F401 - `run` is this kata's too
from dlprep.grading.spec import Case

FUNCTIONS = ("softmax", "log_softmax")


def _case(call, name, z, *, axis=None, dtype="float64", note="", tags=(), probe="", blame=""):
    """Softmax outputs are probabilities, compared with scale 1."""
    args = {"z": z} if axis is None else {"z": z, "axis": axis}
    where = "" if axis is None else f", axis={axis}"
    return Case(name=f"{call}: {name}{where}", call=call, args=args, dtype=dtype, outputs=OUTPUTS,
                scale=1.0 if call == "softmax" else None, note=note, tags=tags, probe=probe, blame=blame)


def _pair(name, z, **options):
    """The same input for both functions."""
    return [_case(call, name, z, **options) for call in FUNCTIONS]


def _probes() -> list[Case]:
    """From a single vector to a −inf entry, one difficulty more each time."""
    rows = np.array([[0.5, -1.0, 2.0], [1.5, 0.0, -0.5]])
    return [
        _case("softmax", "probe: a vector", np.array([1.0, -0.5, 2.0]), probe="softmax of a vector",
              blame="look at the formula: exp(zᵢ) / Σⱼ exp(zⱼ), leaving z unchanged"),
        _case("log_softmax", "probe: a vector", np.array([1.0, -0.5, 2.0]), probe="log_softmax of a vector",
              blame="look at log-softmax: (z − m) − log Σ exp(z − m), with m the max"),
        _case("softmax", "probe: two rows", rows, probe="softmax of two rows",
              blame="look at several rows: the max and the sum along `axis`, keepdims=True, each row its own"),
        _case("log_softmax", "probe: two rows", rows, probe="log_softmax of two rows",
              blame="look at several rows in log_softmax: each row's own max and log-sum-exp, keepdims=True"),
        _case("softmax", "probe: columns", rows.T.copy(), axis=0, probe="axis=0",
              blame="look at `axis`: the max and the sum run along the axis asked for"),
        _case("softmax", "probe: logits near 1000", np.array([1000.0, 999.0, 0.0]), probe="logits near 1000",
              tags=("large",), blame="look at stability: subtract the max before exp, so exp never sees a large number"),
        _case("log_softmax", "probe: logits near 1000", np.array([1000.0, 999.0, 0.0]),
              probe="log_softmax of logits near 1000", tags=("large",),
              blame="look at the log-sum-exp: log Σ exp(z) = m + log Σ exp(z − m), so exp never sees a large number"),
        _case("log_softmax", "probe: a −inf entry", np.array([0.0, -np.inf, 1.0]), probe="a −inf entry",
              blame="look at −inf logits: exp(−inf) = 0 silently, but log of a 0 probability warns; "
              "never take the log of the softmax"),
    ]


def _with_neg_inf(rng, shape, axis=-1):
    """Normal logits with some −inf entries; every slice along `axis` keeps a finite one."""
    z = rng.standard_normal(shape) * 2.0
    hidden = rng.random(shape) < 0.4
    z = np.moveaxis(z, axis, -1)
    hidden = np.moveaxis(hidden, axis, -1)
    hidden[..., 0] = False  # a finite entry in every slice ...
    hidden[(0,) * (hidden.ndim - 1)] = True  # ... and one slice with a single finite entry
    hidden[(0,) * (hidden.ndim - 1) + (0,)] = False
    z[hidden] = -np.inf
    return np.moveaxis(z, -1, axis)


def cases(rng: np.random.Generator) -> list[Case]:
    big = "logits of magnitude 1e4: exp(z) overflows (inf/inf = NaN) unless the max of each slice is " \
          "subtracted first, and probabilities underflow to 0, so log(softmax) is −inf"
    offsets = np.array([[0.0], [2500.0], [-3000.0]])
    return [
        *_pair("(4, 6)", rng.standard_normal((4, 6)) * 2.0),
        *_pair("(7,), a vector", rng.standard_normal(7) * 3.0),
        *_pair("batch of one (1, 5)", rng.standard_normal((1, 5))),
        *_pair("(2, 3, 5)", rng.standard_normal((2, 3, 5))),
        *_pair("square (5, 5)", rng.standard_normal((5, 5)) * 2.0,
               note="n × n: a max or sum without keepdims=True still broadcasts here, along the wrong axis"),
        *_pair("(5, 3)", rng.standard_normal((5, 3)) * 2.0, axis=0,
               note="axis=0: each column sums to 1"),
        *_pair("(2, 3, 4)", rng.standard_normal((2, 3, 4)) * 2.0, axis=1,
               note="the max and the sum run along `axis`, keeping it (keepdims=True)"),
        *_pair("(4, 2, 3)", rng.standard_normal((4, 2, 3)) * 2.0, axis=0,
               note="the max and the sum run along `axis`, keeping it (keepdims=True)"),
        *_pair("(3, 1), one entry per slice", rng.standard_normal((3, 1)) * 5.0,
               note="a slice of one: softmax 1, log-softmax 0"),
        *_pair("logits of magnitude 1e4", rng.uniform(-1e4, 1e4, (3, 6)), note=big, tags=("large",)),
        *_pair("logits near −1e4", -1e4 + rng.standard_normal((2, 5)) * 3.0, tags=("large",),
               note="every exp(z) underflows to 0 unless the max is subtracted: 0/0 = NaN, log 0 = −inf"),
        *_pair("rows 2500 apart", offsets + rng.standard_normal((3, 4)), tags=("large",),
               note="each row has its own max: subtracting the global max underflows the lower rows to 0/0"),
        *_pair("−inf entries", _with_neg_inf(rng, (4, 5)),
               note="−inf logits (masked) get probability 0 and log-probability −inf without warnings; "
               "row 0 has a single finite logit"),
        *_pair("−inf entries", _with_neg_inf(rng, (3, 4), axis=0), axis=0,
               note="−inf logits (masked) get probability 0 and log-probability −inf without warnings"),
        *_pair("float32 (3, 7)", rng.standard_normal((3, 7)) * 2.0, dtype="float32"),
        *_pair("float32 (4, 3)", rng.standard_normal((4, 3)) * 2.0, axis=0, dtype="float32"),
        *_pair("float32, logits of magnitude 1e4", rng.uniform(-1e4, 1e4, (2, 5)), dtype="float32", tags=("large",),
               note=big + "; in float32 exp already overflows above 88.7"),
        *_pair("float32, −inf entries", _with_neg_inf(rng, (3, 5)), dtype="float32",
               note="−inf logits get probability 0 and log-probability −inf without warnings"),
        *_probes(),
    ]
