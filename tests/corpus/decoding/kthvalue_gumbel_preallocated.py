"""kthvalue for top-k, Hugging Face's ascending-sort nucleus, Gumbel-max sampling, a preallocated output buffer."""

import torch


def top_k_filter(logits, k):
    kth = -torch.kthvalue(-logits, k, dim=-1, keepdim=True).values  # the k-th largest per row
    return torch.where(logits >= kth, logits, torch.full_like(logits, float("-inf")))


def top_p_filter(logits, p):
    sorted_logits, order = torch.sort(logits, descending=False)
    cumulative = sorted_logits.softmax(dim=-1).cumsum(dim=-1)
    remove = cumulative <= 1 - p  # the least likely tokens, as long as what is left still holds p
    remove[..., -1] = False
    return logits.masked_fill(remove.scatter(-1, order, remove), float("-inf"))


def sample_next(logits, temperature=1.0, top_k=None, top_p=None, generator=None):
    logits = logits / temperature
    if top_k is not None:
        logits = top_k_filter(logits, top_k)
    if top_p is not None:
        logits = top_p_filter(logits, top_p)
    u = torch.rand(logits.shape, generator=generator, device=logits.device, dtype=logits.dtype)
    gumbel = -torch.log(-torch.log(u))  # argmax(logits + Gumbel noise) is a draw from softmax(logits)
    return (logits + gumbel).argmax(dim=-1)


def greedy_decode(step_fn, prompt, max_new_tokens, eos_id=None):
    B, T = prompt.shape
    out = prompt.new_full((B, T + max_new_tokens), 0 if eos_id is None else eos_id)
    out[:, :T] = prompt
    alive = torch.ones(B, dtype=torch.bool, device=prompt.device)
    for t in range(T, T + max_new_tokens):
        if not alive.any():
            break  # the rest is already eos padding
        next_ids = step_fn(out[:, :t]).argmax(dim=-1)
        out[:, t] = torch.where(alive, next_ids, out[:, t])
        if eos_id is not None:
            alive = alive & (next_ids != eos_id)
    return out
