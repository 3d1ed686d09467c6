"""Cases for `metric_losses`: triplet_loss(anchor, positive, negative, margin=1.0) and
info_nce(z_i, z_j, temperature=0.5).

Both losses are 0-d tensors (mean reduction); gradients are compared for every input.
"""

from __future__ import annotations

import numpy as np

from dlprep.grading.spec import Case


def _upstream(rng):
    return (np.asarray(rng.uniform(0.5, 2.0) * rng.choice([-1.0, 1.0])),)


SHIFT = ("distances are Euclidean: PyTorch's ‖x − y + eps‖₂ (eps = 1e-6 added to each component) and the "
         "plain ‖x − y‖₂ are both accepted")


def _triplet(rng, name, anchor, positive, negative, *, margin=None, dtype="float64", note=""):
    note = note or (SHIFT if dtype == "float64" else "")
    args = {"anchor": anchor, "positive": positive, "negative": negative}
    if margin is not None:
        args["margin"] = margin
        name = f"{name}, margin={margin}"
    return Case(name=f"triplet_loss: {name}", call="triplet_loss", args=args, dtype=dtype,
                grad=("anchor", "positive", "negative"), upstream=_upstream(rng), outputs=("loss",), note=note)


def _nce(rng, name, z_i, z_j, *, temperature=None, dtype="float64", note=""):
    args = {"z_i": z_i, "z_j": z_j}
    if temperature is not None:
        args["temperature"] = temperature
        name = f"{name}, temperature={temperature}"
    return Case(name=f"info_nce: {name}", call="info_nce", args=args, dtype=dtype, grad=("z_i", "z_j"),
                upstream=_upstream(rng), outputs=("loss",), note=note)


def _triplets(rng, N, D, spread=0.6):
    """Positives near the anchor, negatives at mixed distances: some triplets violate the margin, some not."""
    anchor = rng.standard_normal((N, D))
    positive = anchor + rng.standard_normal((N, D)) * spread
    negative = anchor + rng.standard_normal((N, D)) * rng.uniform(0.2, 1.5, (N, 1))
    return anchor, positive, negative


def _coinciding(rng, N, D):
    """Every positive equals its anchor exactly; negatives close enough that the hinge is active."""
    anchor = rng.standard_normal((N, D))
    negative = anchor + rng.standard_normal((N, D)) * 0.1
    return anchor, anchor.copy(), negative


def _easy(rng, N, D):
    """Half the triplets already satisfy the margin by far (hinge inactive), half violate it."""
    anchor, positive, negative = _triplets(rng, N, D, spread=0.3)
    negative[: N // 2] = anchor[: N // 2] + 5.0 * rng.standard_normal((N // 2, D))
    return anchor, positive, negative


def _views(rng, N, D, noise=0.5, scale=1.0, twins=False):
    """Two views of N examples: the same vector plus independent noise, times a length scale.

    With `twins`, examples come in near-identical pairs (hard negatives), so the loss stays
    far from 0 even when each example's two views nearly coincide."""
    base = rng.standard_normal((N, D))
    if twins:
        base[1::2] = base[0::2][: N // 2] + 0.05 * rng.standard_normal((N // 2, D))
    z_i = (base + noise * rng.standard_normal((N, D))) * scale
    z_j = (base + noise * rng.standard_normal((N, D))) * scale
    return z_i, z_j


def cases(rng: np.random.Generator) -> list[Case]:
    eps = ("an anchor equals its positive exactly: the distance is 0 there (eps·√D with PyTorch's eps), and its "
           "gradient must stay finite: 0 from `norm` or 1/√D components with eps, not NaN from √(Σd²)")
    easy = "some triplets satisfy the margin by far: max(0, ·) gives them zero loss and zero gradient"
    lengths = "embeddings of very different lengths: sim is the cosine, so each is L2-normalised first"
    small_t = ("views almost identical and τ = 0.01: sim/τ ≈ 100, so exp(sim/τ) overflows float32 (above 88.7); "
               "use the log-sum-exp trick")
    return [
        # triplet_loss
        _triplet(rng, "(4, 8)", *_triplets(rng, 4, 8)),
        _triplet(rng, "(6, 3)", *_triplets(rng, 6, 3), margin=0.5),
        _triplet(rng, "batch of one (1, 5)", *_triplets(rng, 1, 5, spread=0.3), margin=2.0),
        _triplet(rng, "one dimension (5, 1)", *_triplets(rng, 5, 1), margin=0.3),
        _triplet(rng, "easy and hard triplets (6, 4)", *_easy(rng, 6, 4), margin=0.5, note=easy),
        _triplet(rng, "anchor == positive (3, 4)", *_coinciding(rng, 3, 4), note=eps),
        _triplet(rng, "float32 (5, 6)", *_triplets(rng, 5, 6), dtype="float32"),
        _triplet(rng, "float32, anchor == positive (2, 9)", *_coinciding(rng, 2, 9), margin=0.5, dtype="float32",
                 note=eps),
        # info_nce
        _nce(rng, "(4, 8)", *_views(rng, 4, 8)),
        _nce(rng, "(3, 5)", *_views(rng, 3, 5, noise=1.0), temperature=0.1),
        _nce(rng, "batch of one (1, 4)", *_views(rng, 1, 4),
             note="N = 1: the only candidate left is the positive, so the loss is 0"),
        _nce(rng, "two dimensions (6, 2)", *_views(rng, 6, 2, noise=1.0), temperature=1.0),
        _nce(rng, "lengths from 0.01 to 100 (5, 6)", *_views(rng, 5, 6, scale=10.0 ** rng.uniform(-2, 2, (5, 1))),
             temperature=0.2, note=lengths),
        _nce(rng, "views nearly identical, hard negatives (4, 6)", *_views(rng, 4, 6, noise=0.05, twins=True),
             temperature=0.05),
        _nce(rng, "float32 (5, 4)", *_views(rng, 5, 4), temperature=0.2, dtype="float32"),
        _nce(rng, "float32, views nearly identical, hard negatives (4, 8)",
             *_views(rng, 4, 8, noise=0.02, twins=True), temperature=0.01, dtype="float32", note=small_t),
    ]
