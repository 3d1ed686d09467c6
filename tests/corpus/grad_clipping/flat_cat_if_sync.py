"""Gradients concatenated flat, the p-norm by hand, a Python `if` on the clip coefficient (a host sync)."""

import torch


def _with_grad(params):
    if isinstance(params, torch.Tensor):
        params = [params]
    return [p for p in params if p.grad is not None]


def clip_grad_value_(params, clip_value):
    for p in _with_grad(params):
        p.grad.data.clamp_(min=-clip_value, max=clip_value)


def clip_grad_norm_(params, max_norm, norm_type=2.0):
    params = _with_grad(params)
    if not params:
        return torch.tensor(0.0)
    with torch.no_grad():
        flat = torch.cat([p.grad.reshape(-1) for p in params])
        if norm_type == float("inf"):
            total_norm = flat.abs().max()
        else:
            total_norm = flat.abs().pow(norm_type).sum().pow(1.0 / norm_type)
        coef = max_norm / (total_norm + 1e-6)
        if coef < 1:  # multiplying by a clamped 1 would change nothing: skip it
            for p in params:
                p.grad.mul_(coef)
    return total_norm
