"""Mistakes interviewers see in gradient clipping.

`_clip_grad_norm_(...)` builds a clip_grad_norm_ with one thing changed: how the total norm
is measured, how the clip coefficient is computed and applied, and what is returned.
"""

import torch

from dlprep.grading.spec import mistake


def _parameters(params):
    return [params] if isinstance(params, torch.Tensor) else list(params)


def _vector_norm(g, p):
    return torch.linalg.vector_norm(g, p)


def _global(norms, p):
    return torch.linalg.vector_norm(torch.stack(norms), p)


def _torch_coef(max_norm, total):
    return (max_norm / (total + 1e-6)).clamp(max=1.0)


def _guide_coef(max_norm, total):
    """The guide's `if ‖g‖ > threshold: g = g × threshold/‖g‖`."""
    return max_norm / total if total > max_norm else torch.ones_like(total)


def _unclamped_coef(max_norm, total):
    return max_norm / (total + 1e-6)


def _clip_grad_norm_(*, norm=_vector_norm, combine=_global, coef=_torch_coef, per_parameter=False,
                     returns_clipped=False, in_place=True):
    @torch.no_grad()
    def clip_grad_norm_(params, max_norm, norm_type=2.0):
        grads = [p.grad for p in _parameters(params) if p.grad is not None]
        norms = [norm(g, norm_type) for g in grads]
        total = combine(norms, norm_type)
        factor = coef(max_norm, total)
        for g, own in zip(grads, norms):
            scale = coef(max_norm, own) if per_parameter else factor
            if in_place:
                g.mul_(scale)
            else:
                g = g * scale  # rebinds a name: p.grad never changes
        return total * factor if returns_clipped else total

    return clip_grad_norm_


def _l2_always(g, p):
    return torch.linalg.vector_norm(g, 2.0)


def _l2_combined_always(norms, p):
    return torch.linalg.vector_norm(torch.stack(norms), 2.0)


def _inf_without_abs(g, p):
    return g.max() if p == float("inf") else torch.linalg.vector_norm(g, p)


def _inf_combined_without_abs(norms, p):
    return torch.stack(norms).max() if p == float("inf") else torch.linalg.vector_norm(torch.stack(norms), p)


def _summed(norms, p):
    return torch.stack(norms).sum()


@torch.no_grad()
def _value_one_sided(params, clip_value):
    for p in _parameters(params):
        if p.grad is not None:
            p.grad.clamp_(max=clip_value)


@torch.no_grad()
def _value_not_in_place(params, clip_value):
    for p in _parameters(params):
        if p.grad is not None:
            g = p.grad
            g = g.clamp(-clip_value, clip_value)  # noqa: F841 - rebinds a name: p.grad never changes


@torch.no_grad()
def _value_rescales(params, clip_value):
    for p in _parameters(params):
        if p.grad is not None:
            largest = p.grad.abs().max()
            if largest > clip_value:
                p.grad.mul_(clip_value / largest)


MISTAKES = [
    mistake(
        "per-parameter-norm",
        "Each parameter's gradient is clipped by its own norm. clip_grad_norm_'s norm is global: "
        "the norm of all gradients together, as if concatenated into one vector "
        "(‖(‖g₁‖, ‖g₂‖, ...)‖), and every gradient is multiplied by the same coefficient "
        "max_norm/(total_norm + 1e-6), so the direction of the full gradient is kept.",
        clip_grad_norm_=_clip_grad_norm_(per_parameter=True),
    ),
    mistake(
        "sum-of-norms",
        "The total norm adds the parameters' norms, Σ‖gᵢ‖, which overestimates it. Norms combine "
        "like the entries they summarise: for L2, total = √(Σ‖gᵢ‖²), in general the p-norm of "
        "the vector of per-parameter norms (for inf, their max).",
        clip_grad_norm_=_clip_grad_norm_(combine=_summed),
    ),
    mistake(
        "no-eps",
        "The coefficient is the guide's max_norm/‖g‖, applied only `if ‖g‖ > max_norm`. "
        "PyTorch multiplies every gradient by min(max_norm/(total_norm + 1e-6), 1), always: the "
        "1e-6 keeps an all-zero gradient from giving 0/0, and there is no branch (an `if` on a "
        "GPU tensor forces a sync). So even at total_norm == max_norm the gradients shrink "
        "slightly, and for small norms the 1e-6 is visible.",
        clip_grad_norm_=_clip_grad_norm_(coef=_guide_coef),
    ),
    mistake(
        "no-clamp",
        "The coefficient max_norm/(total_norm + 1e-6) is applied without clamping it to 1, so "
        "gradients below the threshold are scaled *up* to norm max_norm: that is normalising, "
        "not clipping. Clipping only ever shrinks: multiply by min(coef, 1) "
        "(`coef.clamp(max=1.0)`).",
        clip_grad_norm_=_clip_grad_norm_(coef=_unclamped_coef),
    ),
    mistake(
        "returns-clipped-norm",
        "clip_grad_norm_ returns the norm after clipping (at most max_norm). It returns the total "
        "norm of the gradients as they were before clipping, which is what one logs to watch "
        "for exploding gradients.",
        clip_grad_norm_=_clip_grad_norm_(returns_clipped=True),
    ),
    mistake(
        "norm-type-ignored",
        "norm_type is ignored and the L2 norm is always used. The p-norm is (Σ|g|ᵖ)^(1/p) over "
        "every entry of every gradient (norm_type 1: Σ|g|), and for norm_type = inf it is "
        "max |g| (`torch.linalg.vector_norm(g, norm_type)` handles all of them).",
        clip_grad_norm_=_clip_grad_norm_(norm=_l2_always, combine=_l2_combined_always),
    ),
    mistake(
        "inf-norm-without-abs",
        "The inf norm is taken as max(g) instead of max |g|: a large negative gradient entry is "
        "ignored. The inf norm is the largest magnitude, `g.abs().max()`, over every gradient.",
        clip_grad_norm_=_clip_grad_norm_(norm=_inf_without_abs, combine=_inf_combined_without_abs),
    ),
    mistake(
        "norm-clip-not-in-place",
        "The gradients never change: `g = g * coef` builds a new tensor and rebinds a local name. "
        "clip_grad_norm_ must change each p.grad itself: `p.grad.mul_(coef)` (under "
        "torch.no_grad()), or assign `p.grad = ...`.",
        clip_grad_norm_=_clip_grad_norm_(in_place=False),
    ),
    mistake(
        "value-clip-one-sided",
        "clip_grad_value_ only caps large positive entries. The guide's clip(g, -threshold, "
        "threshold) bounds both sides: `p.grad.clamp_(-clip_value, clip_value)`.",
        clip_grad_value_=_value_one_sided,
    ),
    mistake(
        "value-clip-not-in-place",
        "The gradients never change: `g = g.clamp(...)` builds a new tensor and rebinds a local "
        "name. Clip each p.grad itself: `p.grad.clamp_(-clip_value, clip_value)`.",
        clip_grad_value_=_value_not_in_place,
    ),
    mistake(
        "value-clip-rescales",
        "clip_grad_value_ rescales the whole gradient so that its largest entry is clip_value: that "
        "is clipping by the inf norm, which keeps the direction. Clipping by value clamps each entry "
        "independently to [-clip_value, clip_value] and leaves the others alone, so the direction "
        "changes.",
        clip_grad_value_=_value_rescales,
    ),
]
