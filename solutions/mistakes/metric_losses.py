"""Mistakes interviewers see in the triplet loss and in SimCLR's NT-Xent (InfoNCE)."""

import torch
import torch.nn.functional as F

from dlprep.grading.spec import mistake

EPS = 1e-6


def _norm_distance(x, y):
    return (x - y + EPS).norm(dim=-1)


def _squared_distance(x, y):
    return ((x - y) ** 2).sum(dim=-1)


def _norm_no_eps(x, y):
    return (x - y).norm(dim=-1)  # the norm's gradient at 0 is 0 in PyTorch


def _sqrt_no_eps(x, y):
    return ((x - y) ** 2).sum(dim=-1).sqrt()  # d√s/ds = 1/(2√s) = inf at s = 0, times 0: NaN


def _triplet(*, distance=_norm_distance, hinge=True):
    def triplet_loss(anchor, positive, negative, margin=1.0):
        inner = distance(anchor, positive) - distance(anchor, negative) + margin
        return (inner.clamp(min=0) if hinge else inner).mean()

    return triplet_loss


def _cosine(z):
    return z / z.norm(dim=1, keepdim=True)


def _info_nce(*, normalise=_cosine, mask_self=True, anchors="all", stable=True):
    def info_nce(z_i, z_j, temperature=0.5):
        n = z_i.size(0)
        z = normalise(torch.cat([z_i, z_j], dim=0))
        sim = z @ z.T / temperature
        if mask_self:
            sim = sim.masked_fill(torch.eye(2 * n, dtype=torch.bool, device=z.device), float("-inf"))
        positive = torch.arange(2 * n, device=z.device).roll(n)
        if stable:
            log_prob = sim.gather(1, positive[:, None])[:, 0] - torch.logsumexp(sim, dim=1)
        else:
            e = torch.exp(sim)  # exp(1/τ) overflows float32 for τ below ~0.011
            log_prob = torch.log(e.gather(1, positive[:, None])[:, 0] / e.sum(dim=1))
        if anchors == "first view":
            log_prob = log_prob[:n]
        return -log_prob.mean()

    return info_nce


def _other_view_only(z_i, z_j, temperature=0.5):
    # CLIP-style: the N × N cross-view similarities, negatives only from the other view
    a, b = _cosine(z_i), _cosine(z_j)
    logits = a @ b.T / temperature
    labels = torch.arange(z_i.size(0), device=z_i.device)
    return (F.cross_entropy(logits, labels) + F.cross_entropy(logits.T, labels)) / 2


MISTAKES = [
    mistake(
        "squared-distance",
        "The triplet loss uses the squared distance ‖a − p‖² (FaceNet's choice). F.triplet_margin_loss, "
        "and the guide's d(a, p), use the Euclidean distance ‖a − p + eps‖₂ itself; squared distances "
        "change which triplets violate the margin and how hard they pull.",
        triplet_loss=_triplet(distance=_squared_distance),
    ),
    mistake(
        "no-hinge",
        "The triplet loss averages d(a, p) − d(a, n) + margin without max(0, ·). Triplets already "
        "satisfying the margin then contribute negative loss and keep pushing negatives away forever; "
        "the guide's L = max(0, d(a, p) − d(a, n) + margin) gives them zero loss and zero gradient.",
        triplet_loss=_triplet(hinge=False),
    ),
    mistake(
        "triplet-sqrt-no-eps",
        "The distances are √(Σ(a − p)²) without PyTorch's eps: where an anchor equals its positive "
        "the distance is √0 and its gradient 0·(1/0) = NaN, which poisons the whole batch. "
        "F.pairwise_distance adds eps = 1e-6 to the difference, ‖a − p + eps‖₂, so the norm is never "
        "0 there; `(a - p).norm(dim=-1)` without eps is fine too (PyTorch's norm has gradient 0 at 0).",
        triplet_loss=_triplet(distance=_sqrt_no_eps),
    ),
    mistake(
        "info-nce-includes-self-similarity",
        "The denominator includes k = i, the anchor's similarity with itself: cos(zᵢ, zᵢ)/τ = 1/τ, the "
        "largest term, dominates it. NT-Xent sums over the 2N − 1 *other* embeddings: mask the diagonal "
        "of the 2N × 2N similarity matrix with −inf before the softmax.",
        info_nce=_info_nce(mask_self=False),
    ),
    mistake(
        "info-nce-no-normalisation",
        "The similarities are raw dot products z·z′, not cosines. NT-Xent's sim(u, v) = u·v/(‖u‖‖v‖): "
        "L2-normalise each embedding first, or the loss depends on the embeddings' lengths (and the "
        "temperature loses its meaning, since cos/τ is bounded by 1/τ and dot products are not).",
        info_nce=_info_nce(normalise=lambda z: z),
    ),
    mistake(
        "info-nce-one-direction",
        "Only the N anchors of the first view are averaged. SimCLR's loss is symmetric: every one of "
        "the 2N embeddings is an anchor (zᵢ's positive is zⱼ and zⱼ's is zᵢ), and L is the mean of "
        "ℓ(a) over all 2N of them.",
        info_nce=_info_nce(anchors="first view"),
    ),
    mistake(
        "info-nce-other-view-negatives-only",
        "The logits are the N × N cross-view similarities zᵢ·zⱼᵀ/τ (CLIP's form), so each anchor's "
        "negatives come only from the other view: N − 1 of them. NT-Xent's denominator runs over all "
        "2N − 1 other embeddings of the 2N × 2N matrix, so the N − 1 other embeddings of the anchor's "
        "own view are negatives too.",
        info_nce=_other_view_only,
    ),
    mistake(
        "info-nce-unstable-exp",
        "NT-Xent computes exp(sim/τ) and divides: with a small temperature exp(1/τ) overflows (float32 "
        "above 88.7, i.e. τ below ~0.011 for near-identical views) and inf/inf = NaN. Take the "
        "log-softmax of each row with the log-sum-exp trick (torch.logsumexp, or F.cross_entropy over "
        "the masked 2N × 2N logits).",
        info_nce=_info_nce(stable=False),
    ),
]
