"""Kata `metric_losses`: the triplet loss and the NT-Xent contrastive loss of SimCLR (InfoNCE).

Implement both losses with mean reduction, giving the values and gradients of
`F.triplet_margin_loss` and of SimCLR's NT-Xent, without `F.triplet_margin_loss` or
`F.pairwise_distance` (nor their `torch.` and `nn.` forms). Grade with
`dlprep grade metric_losses`.
"""

import torch
import torch.nn.functional as F


def triplet_loss(anchor, positive, negative, margin=1.0):
    """Triplet margin loss with Euclidean distance, as F.triplet_margin_loss (mean):

        L = (1/N) Σᵢ max(0, d(aᵢ, pᵢ) − d(aᵢ, nᵢ) + margin)

    with PyTorch's distance, which adds eps = 1e-6 to every component of the
    difference before the norm (F.pairwise_distance):

        d(x, y) = ‖x − y + eps‖₂ = √(Σₖ (xₖ − yₖ + 1e-6)²)

    The eps changes distances by ~1e-6 (visible in float64) and keeps the gradient
    finite where an anchor equals its positive.

    Args:
        anchor, positive, negative: (N, D) embeddings.
        margin: how much farther than the positive the negative must be (> 0).

    Returns:
        A 0-d tensor. Gradients flow to all three inputs.
    """
    raise NotImplementedError


def info_nce(z_i, z_j, temperature=0.5):
    """NT-Xent (normalised temperature-scaled cross-entropy), SimCLR's InfoNCE loss.

    z_i[k] and z_j[k] are two views of example k. Stack the 2N embeddings,
    z = [z_i; z_j], and let sim(u, v) = u·v / (‖u‖ ‖v‖) (cosine similarity). For each
    anchor a in 0..2N−1 with positive p(a) (its other view, a ± N):

        ℓ(a) = −log [ exp(sim(z_a, z_p(a))/τ) / Σ_{k ≠ a} exp(sim(z_a, z_k)/τ) ]
        L = (1/2N) Σ_a ℓ(a)

    The denominator runs over the 2N − 1 other embeddings (the positive and the
    2N − 2 negatives, from both views), never k = a itself. Stable for small τ.

    Args:
        z_i, z_j: (N, D) embeddings of the two views (not necessarily unit length).
        temperature: τ > 0.

    Returns:
        A 0-d tensor. Gradients flow to z_i and z_j.
    """
    raise NotImplementedError
