"""Cases for `classification_losses`: binary_cross_entropy(p, y), bce_with_logits(logits, y),
cross_entropy(logits, target, label_smoothing=0.0) and focal_loss(logits, y, alpha, gamma).

Every loss is a 0-d tensor (mean reduction); its upstream gradient is a random number, and
gradients are compared for every floating input PyTorch differentiates (focal_loss's labels
are binary, so only its logits).
"""

from __future__ import annotations

import numpy as np

from dlprep.grading.spec import Case


def _upstream(rng):
    return (np.asarray(rng.uniform(0.5, 2.0) * rng.choice([-1.0, 1.0])),)


def _labels(rng, shape):
    return rng.integers(0, 2, shape).astype(np.float64)


def _bce(rng, name, p, y, *, dtype="float64", note=""):
    # At p = 0 or 1 the clamp defines the loss, not a derivative: gradients are compared inside (0, 1).
    inside = (p > 0) & (p < 1)
    return Case(name=f"binary_cross_entropy: {name}", call="binary_cross_entropy", args={"p": p, "y": y},
                dtype=dtype, grad=("p", "y"), grad_where={} if inside.all() else {"p": inside, "y": inside},
                upstream=_upstream(rng), outputs=("loss",), note=note)


def _logits(rng, name, x, y, *, dtype="float64", note=""):
    return Case(name=f"bce_with_logits: {name}", call="bce_with_logits", args={"logits": x, "y": y},
                dtype=dtype, grad=("logits", "y"), upstream=_upstream(rng), outputs=("loss",), note=note)


def _ce(rng, name, z, target, label_smoothing=None, *, dtype="float64", note=""):
    args = {"logits": z, "target": np.asarray(target, dtype=np.int64)}
    if label_smoothing is not None:
        args["label_smoothing"] = label_smoothing
        name = f"{name}, label_smoothing={label_smoothing}"
    return Case(name=f"cross_entropy: {name}", call="cross_entropy", args=args, dtype=dtype,
                grad=("logits",), upstream=_upstream(rng), outputs=("loss",), note=note)


def _focal(rng, name, x, y, *, alpha=None, gamma=None, dtype="float64", note=""):
    args = {"logits": x, "y": y}
    if alpha is not None:
        args["alpha"] = alpha
        name = f"{name}, alpha={alpha}"
    if gamma is not None:
        args["gamma"] = gamma
        name = f"{name}, gamma={gamma}"
    return Case(name=f"focal_loss: {name}", call="focal_loss", args=args, dtype=dtype,
                grad=("logits",), upstream=_upstream(rng), outputs=("loss",), note=note)


def _probabilities(rng, shape):
    return rng.uniform(0.02, 0.98, shape)


def _boundary_p(rng):
    """p exactly 0 and 1 with every label, and ordinary probabilities beside them."""
    p = np.concatenate([[0.0, 0.0, 1.0, 1.0, 0.0, 1.0], _probabilities(rng, 4)])
    y = np.concatenate([[0.0, 1.0, 0.0, 1.0, 0.5, 0.25], _labels(rng, 4)])
    return p, y


def _big_logits(rng, shape, low, high):
    return rng.uniform(low, high, shape) * rng.choice([-1.0, 1.0], shape)


def _confident(rng, n):
    """Logits of magnitude 40 to 1000, confidently right and confidently wrong, with their labels."""
    signs = np.resize([1.0, 1.0, -1.0, -1.0], n)
    return rng.uniform(40.0, 1000.0, n) * signs, np.resize([0.0, 1.0, 0.0, 1.0], n)


def _rows_far_apart(rng, n, k):
    """Logits from about −760 to +41: no exp overflows, but softmax underflows to 0 for the low classes."""
    z = rng.uniform(-750.0, 50.0, (n, k))
    z[:, 0] = 40.0 + rng.standard_normal(n)  # the max ...
    z[:, 1] = -760.0 + rng.standard_normal(n)  # ... and a class 800 below it
    return z


def cases(rng: np.random.Generator) -> list[Case]:
    clamp = ("p exactly 0 and 1: each log is clamped at −100, so the loss is finite (100 for a wrong "
             "element) and never inf or NaN; ∂L/∂p is compared only where 0 < p < 1, where it is defined")
    big_logits = ("logits of magnitude 800 to 1000: σ(x) rounds to exactly 1 above x ≈ 37 (17 in float32) "
                  "and to 0 below −745 (−104), so log(1 − σ(x)) or log σ(x) is −inf; stay in log space, "
                  "L = (1 − y)x − log σ(x)")
    zero = ("logits exactly 0, as a zero-initialised head gives: ∂L/∂x = (σ(0) − y)/n = (0.5 − y)/n; "
            "max(x, 0) and |x| have kinks at 0 where autograd's one-sided slopes do not add up to it")
    huge = ("logits of magnitude 1e4: exp overflows unless each row's max is subtracted first, and "
            "softmax probabilities underflow to 0, so log(softmax) is −inf")
    near_1e3 = "logits near 1000 (100 in float32): exp(z) overflows unless each row's max is subtracted"
    far_apart = ("logits spread over 800: no exp overflows, but a class 800 below its row's max has "
                 "softmax probability exactly 0, and log 0 = −inf; compute log p directly")
    big_focal = ("logits of magnitude 40 to 1000, confidently right and wrong: for a negative with a logit "
                 "above ≈ 37 (17 in float32) σ(x) is exactly 1 and pₜ = 1 − σ(x) exactly 0, so −log pₜ must "
                 "come from the stable bce-with-logits formula")
    return [
        # binary_cross_entropy
        _bce(rng, "(8,), hard labels", _probabilities(rng, 8), _labels(rng, 8)),
        _bce(rng, "(4, 5), soft labels", _probabilities(rng, (4, 5)), rng.uniform(0, 1, (4, 5))),
        _bce(rng, "batch of one (1,)", _probabilities(rng, 1), np.ones(1)),
        _bce(rng, "(2, 3, 4)", _probabilities(rng, (2, 3, 4)), _labels(rng, (2, 3, 4))),
        _bce(rng, "p exactly 0 and 1", *_boundary_p(rng), note=clamp),
        _bce(rng, "float32 (3, 6)", _probabilities(rng, (3, 6)), rng.uniform(0, 1, (3, 6)), dtype="float32"),
        _bce(rng, "float32, p exactly 0 and 1", *_boundary_p(rng), dtype="float32", note=clamp),
        # bce_with_logits
        _logits(rng, "(8,), hard labels", rng.standard_normal(8) * 3.0, _labels(rng, 8)),
        _logits(rng, "(3, 4), soft labels", rng.standard_normal((3, 4)) * 3.0, rng.uniform(0, 1, (3, 4))),
        _logits(rng, "batch of one (1,)", rng.standard_normal(1) * 2.0, np.zeros(1)),
        _logits(rng, "logits of magnitude 1e3", _big_logits(rng, 10, 800.0, 1000.0),
                np.concatenate([_labels(rng, 8), [0.5, 0.2]]), note=big_logits),
        _logits(rng, "logits exactly 0", np.concatenate([np.zeros(5), rng.standard_normal(3)]),
                np.array([0.0, 1.0, 0.0, 1.0, 0.3, 1.0, 0.0, 1.0]), note=zero),
        _logits(rng, "float32 (2, 5)", rng.standard_normal((2, 5)) * 3.0, _labels(rng, (2, 5)), dtype="float32"),
        _logits(rng, "float32, logits of magnitude 1e3", _big_logits(rng, 8, 800.0, 1000.0), _labels(rng, 8),
                dtype="float32", note=big_logits),
        # cross_entropy
        _ce(rng, "(4, 5)", rng.standard_normal((4, 5)) * 2.0, rng.integers(0, 5, 4)),
        _ce(rng, "(6, 3)", rng.standard_normal((6, 3)) * 2.0, rng.integers(0, 3, 6), 0.1),
        _ce(rng, "batch of one (1, 4)", rng.standard_normal((1, 4)), [2]),
        _ce(rng, "batch of one (1, 7)", rng.standard_normal((1, 7)), [0], 0.25),
        _ce(rng, "two classes (5, 2)", rng.standard_normal((5, 2)), rng.integers(0, 2, 5), 0.3,
            note="K = 2: smoothing gives the true class 1 − ε + ε/K and the other ε/K"),
        _ce(rng, "logits near 1e3 (4, 6)", 1000.0 + rng.standard_normal((4, 6)) * 3.0, rng.integers(0, 6, 4),
            note=near_1e3),
        _ce(rng, "logits spread over 800 (3, 5)", _rows_far_apart(rng, 3, 5), [1, 1, 3], note=far_apart),
        _ce(rng, "logits of magnitude 1e4 (5, 7)", rng.uniform(-1e4, 1e4, (5, 7)), rng.integers(0, 7, 5),
            note=huge),
        _ce(rng, "logits of magnitude 1e4 (4, 6)", rng.uniform(-1e4, 1e4, (4, 6)), rng.integers(0, 6, 4), 0.1,
            note=huge + "; with smoothing every class's log p counts"),
        _ce(rng, "float32 (5, 4)", rng.standard_normal((5, 4)) * 2.0, rng.integers(0, 4, 5), 0.1, dtype="float32"),
        _ce(rng, "float32, logits near 100 (3, 5)", 100.0 + rng.standard_normal((3, 5)), rng.integers(0, 5, 3),
            dtype="float32", note=near_1e3),
        _ce(rng, "float32, logits of magnitude 1e4 (4, 5)", rng.uniform(-1e4, 1e4, (4, 5)), rng.integers(0, 5, 4),
            0.2, dtype="float32", note=huge),
        # focal_loss
        _focal(rng, "(8,)", rng.standard_normal(8) * 2.0, _labels(rng, 8)),
        _focal(rng, "(3, 4)", rng.standard_normal((3, 4)) * 2.0, _labels(rng, (3, 4)), alpha=0.75, gamma=1.0),
        _focal(rng, "batch of one (1,), a negative", rng.standard_normal(1), np.zeros(1)),
        _focal(rng, "(2, 5)", rng.standard_normal((2, 5)) * 2.0, _labels(rng, (2, 5)), gamma=0.0,
               note="γ = 0: the α-balanced binary cross-entropy"),
        _focal(rng, "(6,)", rng.standard_normal(6) * 2.0, _labels(rng, 6), alpha=-1.0, gamma=3.0,
               note="a negative alpha turns the αₜ weighting off, as in torchvision"),
        _focal(rng, "logits of magnitude 1e3 (8,)", *_confident(rng, 8), note=big_focal),
        _focal(rng, "float32 (2, 6)", rng.standard_normal((2, 6)) * 2.0, _labels(rng, (2, 6)), dtype="float32"),
        _focal(rng, "float32, logits of magnitude 1e3 (6,)", *_confident(rng, 6), alpha=0.5, dtype="float32",
               note=big_focal),
    ]
