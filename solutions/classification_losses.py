"""Reference for `classification_losses`: BCE, BCE with logits, cross-entropy, focal loss."""

import torch
import torch.nn.functional as F


class _BCE(torch.autograd.Function):
    """PyTorch's binary cross-entropy: logs clamped at -100, and its own backward."""

    @staticmethod
    def forward(ctx, p, y):
        log_p = torch.log(p).clamp(min=-100)  # p = 0 gives -100, not -inf
        log_1mp = torch.log1p(-p).clamp(min=-100)  # p = 1 likewise
        ctx.save_for_backward(p, y, log_p, log_1mp)
        return -(y * log_p + (1 - y) * log_1mp).mean()

    @staticmethod
    def backward(ctx, grad):
        p, y, log_p, log_1mp = ctx.saved_tensors
        scale = grad / p.numel()  # the mean
        # dL/dp = (p - y) / (p (1 - p)), the denominator floored at 1e-12 as PyTorch does:
        # finite at p = 0 and p = 1, where autograd through the clamped logs gives 0/0 = NaN.
        grad_p = (p - y) / (p * (1 - p)).clamp(min=1e-12) * scale
        grad_y = (log_1mp - log_p) * scale
        return grad_p, grad_y


def binary_cross_entropy(p, y):
    return _BCE.apply(p, y)


def _bce_with_logits(x, y):
    # -[y log σ(x) + (1 - y) log σ(-x)], with log σ(-x) = log σ(x) - x
    return (1 - y) * x - F.logsigmoid(x)  # elementwise, stable for |x| of 1e3


def bce_with_logits(logits, y):
    return _bce_with_logits(logits, y).mean()


def cross_entropy(logits, target, label_smoothing=0.0):
    n_classes = logits.size(1)
    m = logits.max(dim=1, keepdim=True).values  # (N, 1): the log-sum-exp shift
    shifted = logits - m  # (N, C), every entry <= 0
    log_probs = shifted - torch.log(torch.exp(shifted).sum(dim=1, keepdim=True))  # (N, C)
    nll = -log_probs.gather(1, target.unsqueeze(1)).squeeze(1)  # (N,) -log p of the true class
    uniform = -log_probs.sum(dim=1) / n_classes  # (N,) cross-entropy with the uniform ε/K part
    return ((1 - label_smoothing) * nll + label_smoothing * uniform).mean()


def focal_loss(logits, y, alpha=0.25, gamma=2.0):
    p = torch.sigmoid(logits)
    ce = _bce_with_logits(logits, y)  # -log pₜ, computed stably
    p_t = p * y + (1 - p) * (1 - y)  # probability of the true class
    loss = ce * (1 - p_t) ** gamma
    if alpha >= 0:  # as torchvision: a negative alpha turns the class weighting off
        alpha_t = alpha * y + (1 - alpha) * (1 - y)
        loss = alpha_t * loss
    return loss.mean()
