"""Triplet distances as the square root of a sum of squares, cosines through einsum of rows divided by their norms, an additive -inf diagonal, positives read off the ±N diagonals, torch.logsumexp."""

import torch


def triplet_loss(anchor, positive, negative, margin=1.0):
    def distance(u, v):
        return torch.sqrt(((u - v + 1e-6) ** 2).sum(dim=-1))  # never 0: the eps keeps sqrt's gradient finite

    return torch.clamp_min(distance(anchor, positive) - distance(anchor, negative) + margin, 0.0).mean()


def info_nce(z_i, z_j, temperature=0.5):
    n = z_i.shape[0]
    z = torch.cat([z_i, z_j], dim=0)
    unit = z / z.norm(dim=-1, keepdim=True)
    sim = torch.einsum("ad,kd->ak", unit, unit) / temperature  # (2N, 2N)
    no_self = torch.diag(torch.full((2 * n,), float("-inf"), device=z.device, dtype=z.dtype))  # 0 off the diagonal
    positives = torch.cat([sim.diagonal(n), sim.diagonal(-n)])  # (a, a + N) for a < N, then (a + N, a)
    return (torch.logsumexp(sim + no_self, dim=1) - positives).mean()
