"""Warper objects applied in a list (as Hugging Face's LogitsProcessorList), greedy decoding on Python lists."""

import torch


class Temperature:
    def __init__(self, temperature):
        self.temperature = temperature

    def __call__(self, scores):
        return scores / self.temperature


class TopK:
    def __init__(self, k):
        self.k = k

    def __call__(self, scores):
        values, _ = torch.topk(scores, self.k, dim=-1)
        return scores.masked_fill(scores < values[:, -1].unsqueeze(-1), float("-inf"))


class TopP:
    def __init__(self, p):
        self.p = p

    def __call__(self, scores):
        sorted_scores, order = torch.sort(scores, dim=-1, descending=True)
        cumulative = torch.cumsum(torch.softmax(sorted_scores, dim=-1), dim=-1)
        drop = torch.zeros_like(cumulative, dtype=torch.bool)
        drop[:, 1:] = cumulative[:, :-1] >= self.p
        unsorted = torch.empty_like(drop)
        unsorted.scatter_(1, order, drop)
        return scores.masked_fill(unsorted, float("-inf"))


def top_k_filter(logits, k):
    return TopK(k)(logits)


def top_p_filter(logits, p):
    return TopP(p)(logits)


def sample_next(logits, temperature=1.0, top_k=None, top_p=None, generator=None):
    warpers = [Temperature(temperature)]
    if top_k is not None:
        warpers.append(TopK(top_k))
    if top_p is not None:
        warpers.append(TopP(top_p))
    for warp in warpers:
        logits = warp(logits)
    probs = torch.nn.functional.softmax(logits, dim=-1)
    return torch.multinomial(probs, num_samples=1, generator=generator)[:, 0]


def greedy_decode(step_fn, prompt, max_new_tokens, eos_id=None):
    rows = prompt.tolist()
    done = [False] * len(rows)
    for _ in range(max_new_tokens):
        if eos_id is not None and all(done):
            break
        logits = step_fn(torch.tensor(rows, dtype=torch.long, device=prompt.device))
        best = logits.argmax(dim=-1).tolist()
        for i, row in enumerate(rows):
            row.append(eos_id if done[i] else best[i])
            done[i] = done[i] or (eos_id is not None and best[i] == eos_id)
    return torch.tensor(rows, dtype=torch.long, device=prompt.device)
