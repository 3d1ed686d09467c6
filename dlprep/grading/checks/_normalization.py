"""What `batchnorm` and `layernorm` share: forward then backward in the learner's process (the
cache never leaves it), and gradient checks of the learner's backward against its own forward."""

from __future__ import annotations

import numpy as np

from dlprep.grading.checks._numeric import expected_at_entries
from dlprep.grading.execute import ProtocolError
from dlprep.grading.spec import Case

GRADS = {"x": "dx", "gamma": "dgamma", "beta": "dbeta"}

GRAD_CHECK_NOTE = (
    "L = Σ dout ⊙ out; expected = (L(θ+h) − L(θ−h))/2h from YOUR OWN forward: your backward "
    "disagrees with your forward at that entry"
)


def forward_then_backward(impl, kata, forward, dout):
    """(out, dx, dgamma, dbeta), `forward()` giving (out, cache). With forward still a stub, say so
    of backward too if it is one."""
    backward = f"{kata}_backward"
    try:
        out, cache = forward()
    except NotImplementedError:
        try:
            getattr(impl, backward)(dout, None)
        except NotImplementedError:
            raise  # both are stubs: this case names the backward, the forward cases the forward
        except Exception:  # noqa: BLE001 - backward is written; the forward is what is missing
            pass
        raise
    grads = getattr(impl, backward)(dout, cache)
    if not isinstance(grads, (tuple, list)) or len(grads) != 3:
        raise ProtocolError(f"{backward} must return (dx, dgamma, dbeta)")
    return (out, *grads)


def _loss(out, dout) -> float:
    out = np.asarray(out, dtype=np.float64)
    if out.shape != dout.shape:
        raise ProtocolError(f"`out` has shape {out.shape}, expected {dout.shape} (the shape of x)")
    return float(np.sum(out * dout))


def gradient_check(args, result, moved_out, copied=("x", "gamma", "beta")):
    """The learner's gradient at each of `args["entries"]`, then L = Σ dout ⊙ out with that entry
    moved by +h, then by −h. `result` is `forward_then_backward`'s; `moved_out(moved)` is the
    learner's forward out with the arrays of `moved` (fresh copies of `copied`) in place of args'."""
    grads = dict(zip(("dx", "dgamma", "dbeta"), result[1:]))
    analytic, plus, minus = [], [], []
    for name, index in args["entries"]:
        grad = np.asarray(grads[GRADS[name]], dtype=np.float64)
        if grad.shape != args[name].shape:
            raise ProtocolError(f"`{GRADS[name]}` has shape {grad.shape}, expected {args[name].shape} (shaped like {name})")
        analytic.append(float(grad[index]))
        for sign, losses in ((1.0, plus), (-1.0, minus)):
            moved = {key: args[key].copy() for key in copied}
            moved[name][index] += sign * args["h"]
            losses.append(_loss(moved_out(moved), args["dout"]))
    return (*analytic, *plus, *minus)


def self_expected(case: Case, outputs: dict) -> dict:
    """The central difference of the submission's own L = Σ dout ⊙ out, by name of the gradient."""
    return expected_at_entries(case, outputs, [case.args[name][index] for name, index in case.args["entries"]])


def entry_name(name, index):
    return f"{name}[{', '.join(str(i) for i in index)}]"
