"""F.normalize and a matmul for the cosines, diagonal hidden with masked_fill, F.cross_entropy with positive indices built on the CPU and moved with .to(z.device); triplet distances from torch.linalg.vector_norm and F.relu."""

import torch
import torch.nn.functional as F


def triplet_loss(anchor, positive, negative, margin=1.0):
    eps = 1e-6  # F.pairwise_distance's: added to every component of the difference
    d_pos = torch.linalg.vector_norm(anchor - positive + eps, dim=1)  # (N,)
    d_neg = torch.linalg.vector_norm(anchor - negative + eps, dim=1)
    return F.relu(d_pos - d_neg + margin).mean()


def info_nce(z_i, z_j, temperature=0.5):
    n = z_i.shape[0]
    z = F.normalize(torch.cat([z_i, z_j]), dim=1)  # (2N, D) unit rows
    logits = z @ z.t() / temperature  # (2N, 2N) cosines / τ
    self_pairs = torch.eye(2 * n, dtype=torch.bool, device=z.device)
    logits = logits.masked_fill(self_pairs, float("-inf"))
    targets = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)]).to(z.device)  # row a's other view
    return F.cross_entropy(logits, targets)
