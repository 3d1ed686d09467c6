"""gather for the k-th value, an argsort inverse permutation for the nucleus, inverse-CDF sampling, torch.where loop."""

import torch


def top_k_filter(logits, k):
    sorted_desc = logits.sort(dim=-1, descending=True).values
    index = torch.full((*logits.shape[:-1], 1), k - 1, dtype=torch.long, device=logits.device)
    kth = sorted_desc.gather(-1, index)
    return logits.masked_fill(logits < kth, -float("inf"))


def top_p_filter(logits, p):
    sorted_logits, order = logits.sort(dim=-1, descending=True)
    probs = torch.softmax(sorted_logits, dim=-1)
    mass_before = probs.cumsum(dim=-1) - probs
    keep_sorted = mass_before < p
    keep = keep_sorted.gather(-1, order.argsort(dim=-1))  # undo the sort
    return torch.where(keep, logits, torch.tensor(float("-inf"), dtype=logits.dtype, device=logits.device))


def sample_next(logits, temperature=1.0, top_k=None, top_p=None, generator=None):
    scores = logits / temperature
    if top_k is not None:
        scores = top_k_filter(scores, top_k)
    if top_p is not None:
        scores = top_p_filter(scores, top_p)
    cdf = torch.softmax(scores.double(), dim=-1).cumsum(dim=-1)
    u = torch.rand(cdf.shape[0], 1, generator=generator, device=cdf.device, dtype=cdf.dtype) * cdf[:, -1:]
    return (cdf <= u).sum(dim=-1)  # the first token whose cumulative probability exceeds u


def greedy_decode(step_fn, prompt, max_new_tokens, eos_id=None):
    ids = prompt
    T = prompt.shape[1]
    for _ in range(max_new_tokens):
        next_ids = step_fn(ids).argmax(dim=-1, keepdim=True)
        if eos_id is not None:
            finished = (ids[:, T:] == eos_id).any(dim=1, keepdim=True)
            next_ids = torch.where(finished, torch.full_like(next_ids, eos_id), next_ids)
        ids = torch.cat((ids, next_ids), dim=1)
    return ids
