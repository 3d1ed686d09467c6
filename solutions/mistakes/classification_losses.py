"""Mistakes interviewers see in binary and categorical cross-entropy and the focal loss."""

import torch
import torch.nn.functional as F

from dlprep.grading.spec import mistake


def _bce(*, clamp):
    """The textbook formula, differentiated by autograd."""

    def binary_cross_entropy(p, y):
        log_p, log_1mp = torch.log(p), torch.log(1 - p)
        if clamp:
            log_p, log_1mp = log_p.clamp(min=-100), log_1mp.clamp(min=-100)
        return -(y * log_p + (1 - y) * log_1mp).mean()

    return binary_cross_entropy


def _naive_bce_with_logits(logits, y):
    p = torch.sigmoid(logits)  # exactly 1 above x ≈ 37, exactly 0 below −745
    return -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()


def _max_abs_bce_with_logits(positive_part):
    # max(x, 0) − x·y + log(1 + exp(−|x|)): right values, but at x = 0 autograd's slopes of
    # clamp (1) or relu (0), and of abs (0), give 1 − y or −y where σ(0) − y = 0.5 − y is right.
    def bce_with_logits(logits, y):
        return (positive_part(logits) - logits * y + torch.log1p(torch.exp(-logits.abs()))).mean()

    return bce_with_logits


def _max_abs_explanation(name, slope, grad):
    return (
        f"bce_with_logits is {name} − x·y + log(1 + e^(−|x|)), whose values are right, but autograd "
        f"differentiates its kinks at x = 0 one-sidedly: {slope} and |x|'s is sign(0) = 0, so "
        f"∂L/∂x = {grad} there instead of (σ(0) − y)/n = (0.5 − y)/n. Logits are exactly 0 at the "
        "start of training with a zero-initialised head. Write it with smooth pieces, "
        "(1 − y)·x − logsigmoid(x) or softplus(x) − x·y, whose gradient is σ(x) − y everywhere."
    )


def _stable_log_probs(z):
    shifted = z - z.max(dim=1, keepdim=True).values
    return shifted - torch.log(torch.exp(shifted).sum(dim=1, keepdim=True))


def _unshifted_log_probs(z):
    return z - torch.log(torch.exp(z).sum(dim=1, keepdim=True))  # exp(1e3) = inf


def _log_of_softmax(z):
    return torch.log(torch.softmax(z, dim=1))  # softmax underflows to 0 far below the max: log 0 = -inf


def _smooth_uniform(log_probs, target, eps):
    return (1 - eps) * -log_probs.gather(1, target[:, None])[:, 0] + eps * -log_probs.mean(dim=1)


def _smooth_others(log_probs, target, eps):
    # (1 − ε) on the true class and ε/(K − 1) on each of the others
    K = log_probs.size(1)
    nll = -log_probs.gather(1, target[:, None])[:, 0]
    rest = -log_probs.sum(dim=1) - nll
    return (1 - eps) * nll + eps / (K - 1) * rest


def _smooth_ignored(log_probs, target, eps):
    return -log_probs.gather(1, target[:, None])[:, 0]


def _cross_entropy(*, log_probs=_stable_log_probs, loss=_smooth_uniform):
    def cross_entropy(logits, target, label_smoothing=0.0):
        return loss(log_probs(logits), target, label_smoothing).mean()

    return cross_entropy


def _ce_stable(x, y):
    return (1 - y) * x - F.logsigmoid(x)


def _ce_of_p_t(x, y):
    p = torch.sigmoid(x)
    return -torch.log(p * y + (1 - p) * (1 - y))  # p_t = 0 exactly for a confidently wrong negative: -log 0 = inf


def _alpha_t(alpha, y):
    return alpha * y + (1 - alpha) * (1 - y)


def _alpha_for_all(alpha, y):
    return alpha


def _focal(*, ce=_ce_stable, p_for_gamma=lambda p, y: p * y + (1 - p) * (1 - y), weight=_alpha_t):
    def focal_loss(logits, y, alpha=0.25, gamma=2.0):
        p = torch.sigmoid(logits)
        loss = ce(logits, y) * (1 - p_for_gamma(p, y)) ** gamma
        if alpha >= 0:
            loss = weight(alpha, y) * loss
        return loss.mean()

    return focal_loss


MISTAKES = [
    mistake(
        "no-log-clamp",
        "binary_cross_entropy takes log p and log(1 − p) unclamped: at p = 0 or p = 1 one of them is "
        "−inf, and y·log p is 0·(−inf) = NaN when y = 0 (inf when y = 1). PyTorch clamps each log "
        "below at −100, so L = −[y·max(log p, −100) + (1 − y)·max(log(1 − p), −100)] stays finite "
        "(100 for a confidently wrong element).",
        binary_cross_entropy=_bce(clamp=False),
    ),
    mistake(
        "naive-bce-with-logits",
        "bce_with_logits applies the sigmoid and then takes logs: σ(x) rounds to exactly 1 above "
        "x ≈ 37 (17 in float32) and to 0 below −745, so log(1 − σ(x)) or log σ(x) is −inf and the "
        "loss inf or NaN (0·(−inf) = NaN where the label zeroes the term). Stay in log "
        "space: log σ(x) = −softplus(−x) and log(1 − σ(x)) = log σ(−x), so "
        "L = (1 − y)·x − log σ(x), or max(x, 0) − x·y + log(1 + e^(−|x|)).",
        bce_with_logits=_naive_bce_with_logits,
    ),
    mistake(
        "max-abs-gradient-at-zero",
        _max_abs_explanation("x.clamp(min=0)", "clamp's slope at 0 is 1", "(1 − y)/n"),
        bce_with_logits=_max_abs_bce_with_logits(lambda x: x.clamp(min=0)),
    ),
    mistake(
        "relu-abs-gradient-at-zero",
        _max_abs_explanation("relu(x)", "relu's slope at 0 is 0", "−y/n"),
        bce_with_logits=_max_abs_bce_with_logits(torch.relu),
    ),
    mistake(
        "ce-no-logsumexp-shift",
        "cross_entropy computes log Σⱼ exp(zⱼ) without subtracting the max: exp(z) overflows to inf "
        "for logits above ~709 (88.7 in float32), and the loss is inf or NaN. Use the log-sum-exp "
        "trick: log Σⱼ exp(zⱼ) = m + log Σⱼ exp(zⱼ − m) with m = maxⱼ zⱼ of each row.",
        cross_entropy=_cross_entropy(log_probs=_unshifted_log_probs),
    ),
    mistake(
        "ce-log-of-softmax",
        "cross_entropy takes log(softmax(z)): the softmax is stable, but a class ~745 below the row's "
        "max (~104 in float32) gets probability exactly 0, and log 0 = −inf makes the loss inf and "
        "its gradient NaN. Compute log pₖ directly: (zₖ − m) − log Σⱼ exp(zⱼ − m).",
        cross_entropy=_cross_entropy(log_probs=_log_of_softmax),
    ),
    mistake(
        "label-smoothing-over-k-minus-1",
        "The smoothing mass ε is spread over the K − 1 wrong classes (ε/(K − 1) each, 1 − ε on the "
        "true class). The guide and PyTorch spread it over all K classes: y_smooth = (1 − ε)y + ε/K, "
        "so the true class gets 1 − ε + ε/K and every other class ε/K. Then "
        "L = (1 − ε)·(−log p_y) + ε·(1/K)Σₖ(−log pₖ).",
        cross_entropy=_cross_entropy(loss=_smooth_others),
    ),
    mistake(
        "label-smoothing-ignored",
        "label_smoothing has no effect: the loss is −log p_y whatever ε is. With smoothing the target "
        "is y_smooth = (1 − ε)y + ε/K, so L = (1 − ε)·(−log p_y) + ε·(1/K)Σₖ(−log pₖ).",
        cross_entropy=_cross_entropy(loss=_smooth_ignored),
    ),
    mistake(
        "focal-alpha-not-balanced",
        "The focal loss multiplies every element by α. The guide's αₜ is class-dependent, as pₜ is: "
        "α for positives (y = 1) and 1 − α for negatives, αₜ = α·y + (1 − α)(1 − y). With the "
        "default α = 0.25 positives get 0.25 and negatives 0.75.",
        focal_loss=_focal(weight=_alpha_for_all),
    ),
    mistake(
        "focal-gamma-on-p-not-1-minus-pt",
        "The modulating factor is (1 − p)^γ with p = σ(x), the probability of the positive class, "
        "for every element. The guide's factor is (1 − pₜ)^γ with pₜ the probability of the *true* "
        "class: pₜ = p for y = 1 but 1 − p for y = 0, so a negative is down-weighted by p^γ (small "
        "when the model is right), not (1 − p)^γ.",
        focal_loss=_focal(p_for_gamma=lambda p, y: p),
    ),
    mistake(
        "focal-log-of-p-t",
        "The focal loss takes −log pₜ of the sigmoid's output: for a confidently wrong negative (a "
        "logit above ≈ 37, 17 in float32) σ(x) is exactly 1, pₜ = 1 − σ(x) is exactly 0, and "
        "−log 0 = inf. torchvision computes −log pₜ as "
        "binary_cross_entropy_with_logits(x, y), which is stable; use your bce_with_logits formula "
        "elementwise.",
        focal_loss=_focal(ce=_ce_of_p_t),
    ),
]
