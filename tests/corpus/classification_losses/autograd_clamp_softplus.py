"""BCE by plain autograd through the clamped logs (no custom Function), softplus(x) − x·y for logits, cross-entropy from torch.logsumexp and gather, focal loss with pₜ = exp(−ce)."""

import torch
import torch.nn.functional as F


def binary_cross_entropy(p, y):
    log_p = torch.clamp(torch.log(p), min=-100.0)
    log_not_p = torch.clamp(torch.log(1 - p), min=-100.0)
    return -(y * log_p + (1 - y) * log_not_p).mean()


def _bce_logits_elementwise(x, y):
    return F.softplus(x) - x * y  # log(1 + eˣ) − xy = −[y log σ(x) + (1 − y) log σ(−x)]


def bce_with_logits(logits, y):
    return _bce_logits_elementwise(logits, y).mean()


def cross_entropy(logits, target, label_smoothing=0.0):
    lse = torch.logsumexp(logits, dim=1)  # (N,)
    nll = lse - logits.gather(1, target.unsqueeze(1)).squeeze(1)  # −log p of the true class
    uniform = lse - logits.mean(dim=1)  # −(1/K) Σₖ log pₖ
    return ((1 - label_smoothing) * nll + label_smoothing * uniform).mean()


def focal_loss(logits, y, alpha=0.25, gamma=2.0):
    ce = _bce_logits_elementwise(logits, y)  # −log pₜ
    p_t = torch.exp(-ce)
    loss = ce * (1 - p_t) ** gamma
    if alpha >= 0:
        loss = loss * (alpha * y + (1 - alpha) * (1 - y))
    return loss.mean()
