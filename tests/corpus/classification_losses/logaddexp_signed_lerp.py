"""BCE as an autograd.Function recomputing the clamped logs in backward, logits through torch.logaddexp(0, x), smoothing mixed with torch.lerp, focal loss on the signed logit s·x with s = 1 − 2y."""

import torch
import torch.nn.functional as F


def _clamped_logs(p):
    return torch.log(p).clamp_(min=-100), torch.log1p(-p).clamp_(min=-100)  # in place on fresh tensors only


class _BCE(torch.autograd.Function):
    @staticmethod
    def forward(ctx, p, y):
        ctx.save_for_backward(p, y)
        log_p, log_1mp = _clamped_logs(p)
        return torch.mean(-(y * log_p + (1 - y) * log_1mp))

    @staticmethod
    def backward(ctx, grad):
        p, y = ctx.saved_tensors
        log_p, log_1mp = _clamped_logs(p)
        per_element = grad / p.numel()
        grad_p = (p - y) / torch.clamp(p - p * p, min=1e-12) * per_element
        return grad_p, (log_1mp - log_p) * per_element


def binary_cross_entropy(p, y):
    return _BCE.apply(p, y)


def bce_with_logits(logits, y):
    softplus = torch.logaddexp(torch.zeros_like(logits), logits)  # log(1 + eˣ), exact slope ½ at x = 0
    return torch.mean(softplus - y * logits)


def cross_entropy(logits, target, label_smoothing=0.0):
    log_p = logits - torch.logsumexp(logits, dim=-1, keepdim=True)  # (N, K)
    rows = torch.arange(logits.shape[0], device=logits.device)
    nll = -log_p[rows, target]  # (N,)
    uniform = -log_p.mean(dim=-1)
    return torch.lerp(nll, uniform, label_smoothing).mean()  # (1 − ε)·nll + ε·uniform


def focal_loss(logits, y, alpha=0.25, gamma=2.0):
    signed = (1 - 2 * y) * logits  # −x for a positive, +x for a negative
    ce = F.softplus(signed)  # −log pₜ = log(1 + e^{s·x})
    miss = torch.sigmoid(signed)  # 1 − pₜ, never formed by subtraction
    loss = miss ** gamma * ce
    if alpha >= 0:
        loss = torch.where(y == 1, alpha * loss, (1 - alpha) * loss)
    return loss.mean()
