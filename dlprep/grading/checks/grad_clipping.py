"""Cases for `grad_clipping`: clip_grad_value_(params, clip_value), clip_grad_norm_(params, max_norm, norm_type).

A case holds parameters and their gradients (None for some). `run` makes leaf tensors with
those `.grad`s, calls the function on them (as a generator, like `model.parameters()`, or as
one tensor when `as_tensor` is set) and returns what came back (clip_grad_norm_'s total norm),
every `.grad` afterwards (`grads[i]`, None stays None) and every parameter (`params[i]`, which
clipping must leave alone).
"""

from __future__ import annotations

import numpy as np

from dlprep.grading.spec import Case

OUTPUTS = {"clip_grad_norm_": ("total_norm", "grads", "params"), "clip_grad_value_": ("grads", "params")}


def run(impl, case, args):
    # Copies: the arguments themselves must stay as they were (the grader checks inputs exactly).
    params = [p.detach().clone().requires_grad_() for p in args["params"]]  # leaves, as a model's are
    for p, g in zip(params, args["grads"]):
        p.grad = None if g is None else g.clone()
    hyper = {k: v for k, v in args.items() if k not in ("params", "grads", "as_tensor")}
    given = params[0] if args.get("as_tensor") else (p for p in params)  # a generator: read it once
    returned = getattr(impl, case.call)(given, **hyper)
    after = ([p.grad for p in params], [p.detach() for p in params])
    return (returned, *after) if case.call == "clip_grad_norm_" else after


def _case(rng, name, call, grads, *, dtype="float64", note="", **hyper):
    """`grads`: one array (or None) per parameter; the parameters are drawn alongside."""
    params = [rng.standard_normal(np.shape(g) if g is not None else (2, 2)) for g in grads]
    present = [np.abs(g).max() for g in grads if g is not None and g.size]
    shown = ", ".join("None" if g is None else str(tuple(g.shape)) for g in grads)
    return Case(
        name=f"{name}; grads {shown}",
        call=call,
        args={"params": params, "grads": grads, **hyper},
        dtype=dtype,
        outputs=OUTPUTS[call],
        scale=float(max(present, default=1.0)),  # the outputs that move are gradients, not parameters
        note=note,
    )


def _normal(rng, *shapes, size=1.0):
    return [rng.standard_normal(shape) * size for shape in shapes]


def _at_threshold(rng, scale):
    """Gradients whose global L2 norm is exactly 10·scale (scale a power of two): norms 6 and 8.

    Every square, sum and root is exact in float32 and float64, so norm == max_norm holds bit
    for bit, whatever order the sums are taken in.
    """
    six = np.array([[2.0, 4.0], [4.0, 0.0]])  # 4 + 16 + 16 = 36
    eight = np.array([4.0, 4.0, 4.0, 4.0])  # 64
    return [g * rng.choice([-1.0, 1.0], size=g.shape) * scale for g in (six, eight)]


def _largest_negative(rng, *shapes, size=1.0):
    """Gradients whose largest magnitude is a negative entry (and far from the largest positive one)."""
    grads = _normal(rng, *shapes, size=size)
    flat = np.concatenate([g.ravel() for g in grads])
    target = np.argmax(np.abs(flat))
    for g in grads:
        if target < g.size:
            g.ravel()[target] = -3.0 * np.abs(flat).max()
            break
        target -= g.size
    return grads


def cases(rng: np.random.Generator) -> list[Case]:
    scale = 2.0**-13
    threshold = 10 * scale  # ≈ 1.2e-3: max_norm/(max_norm + 1e-6) ≈ 1 - 8e-4, visible in float64
    norm, value = "clip_grad_norm_", "clip_grad_value_"
    return [
        _case(rng, "L2, above the threshold, three parameters", norm, _normal(rng, (3, 4), (5,), (2, 1, 3)), max_norm=1.0,
              note="one global norm over every gradient together; each gradient is multiplied by "
              "max_norm/(total_norm + 1e-6); total_norm is returned as it was before clipping"),
        _case(rng, "L2, below the threshold", norm, _normal(rng, (4, 3), (6,)), max_norm=100.0,
              note="the clip coefficient max_norm/(total_norm + 1e-6) is clamped to 1: small gradients are left as they are"),
        _case(rng, "L2, norm exactly at max_norm", norm, [*_at_threshold(rng, scale), None], max_norm=threshold,
              note="total_norm == max_norm exactly (10·2⁻¹³): PyTorch has no `if norm > max_norm`, it still "
              "multiplies by max_norm/(max_norm + 1e-6) ≈ 1 - 8e-4"),
        _case(rng, "L2, small gradients above the threshold", norm, _normal(rng, (3, 3), (4,), size=1e-3), max_norm=1e-3,
              note="with a norm of a few 1e-3 the 1e-6 in max_norm/(total_norm + 1e-6) changes the result in the 4th digit"),
        _case(rng, "L1 norm", norm, _normal(rng, (2, 5), (3,)), max_norm=2.0, norm_type=1.0,
              note="norm_type 1: the sum of |g| over every entry of every gradient"),
        _case(rng, "L3 norm", norm, _normal(rng, (4, 2), (3,), (1,)), max_norm=0.5, norm_type=3.0,
              note="a general p: (Σ|g|ᵖ)^(1/p) over every entry"),
        _case(rng, "inf norm, the largest magnitude is negative", norm, _largest_negative(rng, (3, 4), (5,)), max_norm=0.5,
              norm_type=float("inf"), note="norm_type inf: max |g|, the absolute value included"),
        _case(rng, "L2, some grads None", norm, [_normal(rng, (3, 2))[0], None, _normal(rng, (4,))[0], None], max_norm=0.8,
              note="a parameter whose .grad is None is left out of the norm and keeps .grad None"),
        _case(rng, "L2, one tensor, not a list", norm, _normal(rng, (4, 5)), max_norm=1.5, as_tensor=True,
              note="params may be a single tensor, as in torch.nn.utils"),
        _case(rng, "float32, L2, above the threshold", norm, _normal(rng, (8, 4), (3,), (1,)), dtype="float32", max_norm=1.0),
        _case(rng, "float32, L2, norm exactly at max_norm", norm, _at_threshold(rng, scale), dtype="float32",
              max_norm=threshold),
        _case(rng, "float32, inf norm, gradients of size 1e3", norm, _largest_negative(rng, (2, 3), (6,), size=1e3),
              dtype="float32", max_norm=5.0, norm_type=float("inf")),
        _case(rng, "both signs, clip_value 0.5", value, _normal(rng, (3, 4), (5,), (2, 1, 3)), clip_value=0.5,
              note="every entry clamped to [-clip_value, clip_value], elementwise and independently"),
        _case(rng, "all within clip_value", value, _normal(rng, (4,), (2, 2)), clip_value=10.0),
        _case(rng, "some grads None", value, [None, _normal(rng, (3, 3))[0], None], clip_value=0.2,
              note="a parameter whose .grad is None keeps .grad None"),
        _case(rng, "one tensor, not a list", value, _normal(rng, (6,), size=3.0), clip_value=1.0, as_tensor=True),
        _case(rng, "float32, clip_value 1e-3", value, _normal(rng, (5, 4), (3,), size=1e-3), dtype="float32",
              clip_value=1e-3),
    ]
