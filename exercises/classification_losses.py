"""Kata `classification_losses`: binary and categorical cross-entropy, and the focal loss.

Implement the four losses with mean reduction, giving the values and gradients of
PyTorch's own (`F.binary_cross_entropy`, `F.binary_cross_entropy_with_logits`,
`F.cross_entropy`, torchvision's `sigmoid_focal_loss`), without calling them:
`F.*cross_entropy*`, `F.nll_loss`, `nn.*Loss`, every `log_softmax` and torchvision are
forbidden. `torch.exp`, `torch.log`, `torch.log1p`, `torch.sigmoid`, `F.logsigmoid`,
`F.softplus` and `torch.logsumexp` are allowed. Grade with
`dlprep grade classification_losses`.
"""

import torch
import torch.nn.functional as F


def binary_cross_entropy(p, y):
    """Binary cross-entropy of probabilities, as F.binary_cross_entropy (mean).

        L = mean of −[y log p + (1 − y) log(1 − p)]

    Each log is clamped below at −100, as PyTorch does, so p = 0 or p = 1 gives a
    finite loss (100 per wrong element) instead of inf or NaN.

    Gradients must be PyTorch's, also at p = 0 and p = 1:

        ∂L/∂p = (p − y) / max(p (1 − p), 1e-12) / n
        ∂L/∂y = (log(1 − p) − log p) / n      (the clamped logs)

    where n = p.numel(). Autograd through the clamped logs gives NaN at p = 0 and
    p = 1 (0 · ∞): a `torch.autograd.Function` with this backward does not.

    Args:
        p: probabilities in [0, 1], any shape.
        y: targets in [0, 1] (hard or soft labels), the shape of p.

    Returns:
        A 0-d tensor.
    """
    raise NotImplementedError


def bce_with_logits(logits, y):
    """Binary cross-entropy of logits, as F.binary_cross_entropy_with_logits (mean).

        L = mean of −[y log σ(x) + (1 − y) log(1 − σ(x))]

    Stable for logits of magnitude 1e3, where σ(x) is exactly 0 or 1 and the log
    of it is −inf: use log σ(x) = −softplus(−x) and 1 − σ(x) = σ(−x). Gradients:
    ∂L/∂x = (σ(x) − y)/n, ∂L/∂y = −x/n, including at x = 0 exactly.

    Args:
        logits: x, any shape.
        y: targets in [0, 1], the shape of logits.

    Returns:
        A 0-d tensor.
    """
    raise NotImplementedError


def cross_entropy(logits, target, label_smoothing=0.0):
    """Softmax cross-entropy with class-index targets, as F.cross_entropy (mean).

        log pᵢₖ = zᵢₖ − log Σⱼ exp(zᵢⱼ)            (shift by maxⱼ zᵢⱼ first)
        qᵢₖ = (1 − ε)·[k = targetᵢ] + ε/K          (label smoothing, K classes)
        L = (1/N) Σᵢ −Σₖ qᵢₖ log pᵢₖ

    Stable for logits of magnitude 1e4.

    Args:
        logits: (N, C) unnormalised scores.
        target: (N,) int64 class indices in [0, C).
        label_smoothing: ε in [0, 1].

    Returns:
        A 0-d tensor.
    """
    raise NotImplementedError


def focal_loss(logits, y, alpha=0.25, gamma=2.0):
    """Sigmoid focal loss, as torchvision.ops.sigmoid_focal_loss with reduction="mean".

        p = σ(x),  pₜ = p if y = 1 else 1 − p,  αₜ = α if y = 1 else 1 − α
        L = mean of −αₜ (1 − pₜ)^γ log pₜ

    −log pₜ is the binary cross-entropy with logits (compute it stably). A negative
    alpha (torchvision's alpha=-1) turns the αₜ weighting off.

    Args:
        logits: x, any shape.
        y: binary labels (0.0 or 1.0), the shape of logits.
        alpha: weight of the positive class, in [0, 1], or negative for none.
        gamma: focusing parameter γ >= 0.

    Returns:
        A 0-d tensor.
    """
    raise NotImplementedError
