"""torch._foreach_norm / _foreach_mul_ / _foreach_clamp_* over the gradient list, as torch.nn.utils does internally."""

import torch


def _grads(params):
    params = [params] if isinstance(params, torch.Tensor) else list(params)
    return [p.grad for p in params if p.grad is not None]


@torch.no_grad()
def clip_grad_value_(params, clip_value):
    grads = _grads(params)
    if grads:
        torch._foreach_clamp_min_(grads, -clip_value)
        torch._foreach_clamp_max_(grads, clip_value)


@torch.no_grad()
def clip_grad_norm_(params, max_norm, norm_type=2.0):
    grads = _grads(params)
    if not grads:
        return torch.tensor(0.0)
    per_grad = torch._foreach_norm(grads, norm_type)  # one 0-dim norm per gradient
    total_norm = torch.linalg.vector_norm(torch.stack(per_grad), norm_type)
    coef = torch.clamp(max_norm / (total_norm + 1e-6), max=1.0)
    torch._foreach_mul_(grads, coef)
    return total_norm
