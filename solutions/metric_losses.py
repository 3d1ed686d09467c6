"""Reference for `metric_losses`: the triplet loss and NT-Xent (SimCLR's InfoNCE)."""

import torch


def triplet_loss(anchor, positive, negative, margin=1.0):
    eps = 1e-6  # as F.pairwise_distance: ‖x₁ − x₂ + eps‖, which also keeps the norm's gradient finite at x₁ = x₂
    d_ap = (anchor - positive + eps).norm(dim=-1)  # (N,)
    d_an = (anchor - negative + eps).norm(dim=-1)  # (N,)
    return (d_ap - d_an + margin).clamp(min=0).mean()  # hinge: max(0, ·)


def info_nce(z_i, z_j, temperature=0.5):
    n = z_i.size(0)
    z = torch.cat([z_i, z_j], dim=0)  # (2N, D): view 1 of each example, then view 2
    z = z / z.norm(dim=1, keepdim=True)  # unit vectors, so z @ z.T is the cosine similarity
    sim = z @ z.T / temperature  # (2N, 2N)
    self_mask = torch.eye(2 * n, dtype=torch.bool, device=z.device)
    sim = sim.masked_fill(self_mask, float("-inf"))  # k = i is no candidate
    positive = torch.arange(2 * n, device=z.device).roll(n)  # i's other view: i + N mod 2N
    log_prob = sim.gather(1, positive[:, None])[:, 0] - torch.logsumexp(sim, dim=1)  # (2N,)
    return -log_prob.mean()  # over all 2N anchors
