"""Per-parameter norms in a dict, 1e-6 as a 0-dim CPU tensor torch.tensor(1e-6, dtype=...), p.grad reassigned."""

import torch


def _parameters(params):
    return [params] if torch.is_tensor(params) else list(params)


def clip_grad_value_(params, clip_value):
    with torch.no_grad():
        for p in _parameters(params):
            if p.grad is not None:
                p.grad = torch.clamp(p.grad, -clip_value, clip_value)


def clip_grad_norm_(params, max_norm, norm_type=2.0):
    params = _parameters(params)  # a generator is read once
    infinite = norm_type == float("inf")
    with torch.no_grad():
        norms = {}
        for index, p in enumerate(params):
            if p.grad is not None:
                g = p.grad
                norms[index] = g.abs().amax() if infinite else torch.linalg.vector_norm(g, ord=norm_type)
        if not norms:
            return torch.tensor(0.0)
        stacked = torch.stack(list(norms.values()))  # (P,)
        if infinite:
            total_norm = stacked.amax()
        else:
            total_norm = torch.linalg.vector_norm(stacked, ord=norm_type)
        eps = torch.tensor(1e-6, dtype=total_norm.dtype)  # 0-dim: PyTorch mixes it with any device
        coef = (max_norm / (total_norm + eps)).clamp(max=1.0)
        for index in norms:
            params[index].grad.mul_(coef)
        return total_norm
