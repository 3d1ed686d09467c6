"""Mistakes interviewers see in hand-written dropout."""

import numpy as np

from dlprep.grading.spec import mistake


def _validate(p):
    if not 0.0 <= p < 1.0:
        raise ValueError(f"dropout probability must satisfy 0 <= p < 1, got {p}")


def _forward(
    *,
    drop=lambda p: p,
    scale=lambda p: 1.0 / (1.0 - p),
    binary_mask=False,
    in_eval="identity",
    per_feature=False,
    validate=True,
    global_rng=False,
):
    """dropout_forward with one thing changed: `drop(p)` is the probability a unit is dropped, kept
    units are multiplied by `scale(p)`; `in_eval` is "identity", "dropout" (as in training) or
    "scale" (x·(1 − p)); `per_feature` draws one mask row shared by every sample."""

    def dropout_forward(x, p, training, rng):
        if validate:
            _validate(p)
        with np.errstate(all="ignore"):  # some variants divide by 0 for p = 0 or p = 1
            if not training and in_eval == "identity":
                return x.copy(), np.ones_like(x)
            if not training and in_eval == "scale":
                mask = np.full_like(x, 1.0 - p)
                return x * mask, mask
            shape = x.shape[-1:] if per_feature else x.shape
            keep = np.broadcast_to((np.random if global_rng else rng).random(shape) >= drop(p), x.shape)
            scaled = (keep * np.float64(scale(np.float64(p)))).astype(x.dtype)
            return x * scaled, keep.astype(x.dtype) if binary_mask else scaled

    return dropout_forward


MISTAKES = [
    mistake(
        "no-inverted-scaling",
        "Kept units are not scaled in training: out = x·keep. Inverted dropout multiplies them by 1/(1 − p) so "
        "that E[out] = x; without it the next layer sees activations (1 − p) times smaller in training than "
        "in eval. The mask to return is keep/(1 − p).",
        dropout_forward=_forward(scale=lambda p: 1.0),
    ),
    mistake(
        "scale-by-p",
        "Kept units are scaled by 1/p. A unit survives with probability 1 − p, so E[keep] = 1 − p and the "
        "scaling that restores E[out] = x is 1/(1 − p).",
        dropout_forward=_forward(scale=lambda p: 1.0 / p),
    ),
    mistake(
        "drop-with-prob-1-minus-p",
        "Units are dropped with probability 1 − p (kept with probability p). p is the probability of "
        "*dropping* a unit, as in PyTorch: keep = rng.random(x.shape) >= p, which is True with probability "
        "1 − p.",
        dropout_forward=_forward(drop=lambda p: 1.0 - p),
    ),
    mistake(
        "p-as-keep-probability",
        "p is read as the probability of *keeping* a unit (the convention of the original dropout paper and "
        "of CS231n): units are kept with probability p and scaled by 1/p. In this kata, as in PyTorch, p is "
        "the drop probability: keep with probability 1 − p, scale by 1/(1 − p).",
        dropout_forward=_forward(drop=lambda p: 1.0 - p, scale=lambda p: 1.0 / p),
    ),
    mistake(
        "applied-in-eval",
        "Units are dropped in eval mode too. With training=False dropout is the identity (out = x, mask all "
        "ones): the scaling by 1/(1 − p) during training already makes E[out] = x, so inference uses every unit.",
        dropout_forward=_forward(in_eval="dropout"),
    ),
    mistake(
        "scaled-in-eval",
        "Eval multiplies x by (1 − p). That is the test-time rule of the *non-inverted* dropout (the guide's "
        "\"scale by (1 − p)\"); inverted dropout already scales by 1/(1 − p) in training, so eval must do "
        "nothing: out = x. Doing both shrinks every activation at inference.",
        dropout_forward=_forward(in_eval="scale"),
    ),
    mistake(
        "unscaled-mask",
        "out is right, but the mask returned is the 0/1 keep mask, so dropout_backward(dout, mask) = dout·mask "
        "misses the 1/(1 − p) factor: out = x·keep/(1 − p) has ∂out/∂x = keep/(1 − p). Return the scaled mask "
        "keep/(1 − p) (then out = x·mask and dx = dout·mask).",
        dropout_forward=_forward(binary_mask=True),
    ),
    mistake(
        "backward-binary-mask",
        "dropout_backward uses dout·(mask ≠ 0): the gradient is not scaled. out = x·mask with mask = "
        "keep/(1 − p), so ∂L/∂x = ∂L/∂out · mask, scaling included.",
        dropout_backward=lambda dout, mask: dout * (mask != 0),
    ),
    mistake(
        "mask-shared-across-batch",
        "One mask of shape x.shape[-1:] is drawn and broadcast, so every sample of the batch drops the same "
        "features. Dropout draws one Bernoulli per element of x: rng.random(x.shape).",
        dropout_forward=_forward(per_feature=True),
    ),
    mistake(
        "p-not-validated",
        "p outside [0, 1) is accepted. p = 1 would divide by 1 − p = 0 (and drop everything), p < 0 is not a "
        "probability: raise ValueError unless 0 <= p < 1, before anything else, in training and in eval.",
        dropout_forward=_forward(validate=False),
    ),
    mistake(
        "ignores-rng",
        "The mask is drawn from NumPy's global generator (np.random.rand, np.random.random) instead of the "
        "`rng` argument: it is not reproducible from the seed, and other code sharing the global state changes "
        "it. Draw with rng.random(x.shape).",
        dropout_forward=_forward(global_rng=True),
    ),
]
