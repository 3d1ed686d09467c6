"""BCE as an autograd.Function with a torch.where-floored denominator, logits through F.logsigmoid of ±x, cross-entropy against smoothed one-hot targets from a CPU arange moved with .to, focal loss choosing by label with torch.where."""

import torch
import torch.nn.functional as F


class _BinaryCrossEntropy(torch.autograd.Function):
    @staticmethod
    def forward(ctx, p, y):
        log_p = torch.log(p).clamp(min=-100)
        log_q = torch.log(1 - p).clamp(min=-100)
        ctx.save_for_backward(p, y, log_p, log_q)
        return -(y * log_p + (1 - y) * log_q).sum() / p.numel()

    @staticmethod
    def backward(ctx, grad_out):
        p, y, log_p, log_q = ctx.saved_tensors
        variance = p * (1 - p)
        floor = torch.where(variance < 1e-12, torch.full_like(variance, 1e-12), variance)  # PyTorch's 1e-12 floor
        n = p.numel()
        return grad_out * (p - y) / floor / n, grad_out * (log_q - log_p) / n


def binary_cross_entropy(p, y):
    return _BinaryCrossEntropy.apply(p, y)


def bce_with_logits(logits, y):
    return -(y * F.logsigmoid(logits) + (1 - y) * F.logsigmoid(-logits)).mean()


def cross_entropy(logits, target, label_smoothing=0.0):
    K = logits.shape[1]
    classes = torch.arange(K).to(logits.device)  # built on the CPU, moved next to the logits
    one_hot = (target.unsqueeze(1) == classes).to(logits.dtype)  # (N, K)
    q = one_hot * (1 - label_smoothing) + label_smoothing / K
    m = logits.max(dim=1, keepdim=True).values
    log_p = logits - m - torch.log(torch.exp(logits - m).sum(dim=1, keepdim=True))  # (N, K)
    return -(q * log_p).sum(dim=1).mean()


def focal_loss(logits, y, alpha=0.25, gamma=2.0):
    positive = y == 1
    p = torch.sigmoid(logits)
    p_t = torch.where(positive, p, 1 - p)
    ce = torch.where(positive, -F.logsigmoid(logits), -F.logsigmoid(-logits))  # −log pₜ, stable
    loss = (1 - p_t).pow(gamma) * ce
    if alpha >= 0:
        loss = (alpha * y + (1 - alpha) * (1 - y)) * loss
    return loss.mean()
