"""Reference for `decoding`: top-k and nucleus (top-p) filtering, sampling, greedy autoregressive decoding.

Filters return the logits with every token they remove set to −inf, so that a softmax afterwards
gives those tokens probability exactly 0 and renormalises over the rest.
"""

import torch


def top_k_filter(logits, k):  # logits: (B, V)
    kth = logits.topk(k, dim=-1).values[..., -1:]  # (B, 1): the k-th largest value of each row
    return logits.masked_fill(logits < kth, float("-inf"))  # ties with the k-th value stay


def top_p_filter(logits, p):  # logits: (B, V)
    sorted_logits, order = logits.sort(dim=-1, descending=True)  # (B, V)
    cumulative = sorted_logits.softmax(dim=-1).cumsum(dim=-1)  # (B, V)
    # a token is dropped once the tokens before it already reach p: the one crossing p stays,
    # and so does the most probable token, whatever p
    reached_before = cumulative[..., :-1] >= p  # (B, V - 1)
    drop_sorted = torch.cat([torch.zeros_like(reached_before[..., :1]), reached_before], dim=-1)  # (B, V)
    drop = drop_sorted.scatter(-1, order, drop_sorted)  # back to the vocabulary's order
    return logits.masked_fill(drop, float("-inf"))


def sample_next(logits, temperature=1.0, top_k=None, top_p=None, generator=None):  # logits: (B, V)
    logits = logits / temperature  # first: the nucleus is taken on the distribution that is sampled
    if top_k is not None:
        logits = top_k_filter(logits, top_k)
    if top_p is not None:
        logits = top_p_filter(logits, top_p)
    probs = torch.softmax(logits, dim=-1)  # (B, V), exactly 0 on filtered tokens
    return torch.multinomial(probs, 1, generator=generator).squeeze(-1)  # (B,)


def greedy_decode(step_fn, prompt, max_new_tokens, eos_id=None):  # prompt: (B, T)
    ids = prompt
    finished = torch.zeros(prompt.shape[0], dtype=torch.bool, device=prompt.device)  # (B,)
    for _ in range(max_new_tokens):
        next_ids = step_fn(ids).argmax(dim=-1)  # (B,)
        if eos_id is not None:
            next_ids = next_ids.masked_fill(finished, eos_id)  # finished rows are padded with eos
            finished = finished | (next_ids == eos_id)
        ids = torch.cat([ids, next_ids[:, None]], dim=-1)  # (B, t + 1)
        if eos_id is not None and bool(finished.all()):
            break
    return ids
