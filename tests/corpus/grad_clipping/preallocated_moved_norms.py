"""Norms written into a vector made on the CPU and moved with .to(device=..., dtype=...); torch.where clamp."""

import torch


def _grads(params):
    if isinstance(params, torch.Tensor):
        params = (params,)
    return [p.grad for p in params if p.grad is not None]


@torch.no_grad()
def clip_grad_value_(params, clip_value):
    for g in _grads(params):
        limited = torch.where(g.abs() > clip_value, g.sign() * clip_value, g)
        g.copy_(limited)


@torch.no_grad()
def clip_grad_norm_(params, max_norm, norm_type=2.0):
    grads = _grads(params)
    if not grads:
        return torch.tensor(0.0)
    norms = torch.zeros(len(grads)).to(device=grads[0].device, dtype=grads[0].dtype)  # (P,)
    for i, g in enumerate(grads):
        norms[i] = torch.linalg.vector_norm(g, norm_type)
    total_norm = torch.linalg.vector_norm(norms, norm_type)
    coef = torch.minimum(max_norm / (total_norm + 1e-6), torch.ones_like(total_norm))
    for g in grads:
        g.mul_(coef)
    return total_norm
