"""Per-row Python loops: triplet hinges collected in a list with torch.stack, and one anchor at a time with F.cosine_similarity, its own row cut out, logsumexp over the rest."""

import torch
import torch.nn.functional as F


def triplet_loss(anchor, positive, negative, margin=1.0):
    losses = []
    for a, p, n in zip(anchor, positive, negative):
        d_ap = (a - p + 1e-6).pow(2).sum().sqrt()
        d_an = (a - n + 1e-6).pow(2).sum().sqrt()
        losses.append(torch.clamp(d_ap - d_an + margin, min=0))
    return torch.stack(losses).mean()


def info_nce(z_i, z_j, temperature=0.5):
    n = z_i.shape[0]
    z = torch.cat([z_i, z_j])
    losses = []
    for a in range(2 * n):
        sims = F.cosine_similarity(z[a].unsqueeze(0), z, dim=1) / temperature  # (2N,)
        others = torch.cat([sims[:a], sims[a + 1:]])  # k != a
        positive = (a + n) % (2 * n)
        losses.append(torch.logsumexp(others, dim=0) - sims[positive])
    return torch.stack(losses).mean()
