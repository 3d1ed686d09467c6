"""Mistakes interviewers see in top-k, nucleus sampling and greedy decoding."""

import torch

from dlprep.grading.spec import mistake
from dlprep.solutions import decoding as reference

NEG_INF = float("-inf")


def _top_k(*, keep="ties", fill=NEG_INF, in_place=False):
    """top_k_filter keeping `keep`: "ties" (the reference), "exactly-k" (the k indices topk returns) or
    "k-minus-one" (dropping the k-th value itself, `logits <= kth`)."""

    def top_k_filter(logits, k):
        if keep == "exactly-k":
            drop = torch.ones_like(logits, dtype=torch.bool).scatter(-1, logits.topk(k, dim=-1).indices, False)
        else:
            kth = logits.topk(k, dim=-1).values[..., -1:]
            drop = logits <= kth if keep == "k-minus-one" else logits < kth
        if in_place:
            logits[drop] = fill
            return logits
        return logits.masked_fill(drop, fill)

    return top_k_filter


def _top_p(*, rule="before-reaches", sort=True, unsort=True, fill=NEG_INF, in_place=False):
    """top_p_filter with `rule` deciding which sorted tokens go: "before-reaches" (the reference: the
    tokens before it already reach p), "including-exceeds" (its own cumulative sum exceeds p) or
    "before-exceeds" (the tokens before it exceed p); `sort=False` sums in the vocabulary's order,
    `unsort=False` applies the sorted-order mask to the vocabulary's order."""

    def top_p_filter(logits, p):
        ordered, order = logits.sort(dim=-1, descending=True) if sort else (logits, None)
        probs = ordered.softmax(dim=-1)
        cumulative = probs.cumsum(dim=-1)
        if rule == "including-exceeds":
            drop = cumulative > p
        else:
            before = torch.cat([torch.zeros_like(cumulative[..., :1]), cumulative[..., :-1]], dim=-1)
            drop = before >= p if rule == "before-reaches" else before > p
        if sort and unsort:
            drop = drop.scatter(-1, order, drop)
        if in_place:
            logits[drop] = fill
            return logits
        return logits.masked_fill(drop, fill)

    return top_p_filter


def _sample_next(*, scale=lambda logits, t: logits / t, temperature_first=True, top_p_first=False, draw="multinomial"):
    """sample_next with the temperature applied by `scale`, before or after the filters, the filters in
    either order, and the token drawn by "multinomial" (the reference), "argmax" or "global" (the
    global generator instead of the one given)."""

    def sample_next(logits, temperature=1.0, top_k=None, top_p=None, generator=None):
        if temperature_first:
            logits = scale(logits, temperature)
        filters = [(reference.top_k_filter, top_k), (reference.top_p_filter, top_p)]
        for apply, value in reversed(filters) if top_p_first else filters:
            if value is not None:
                logits = apply(logits, value)
        if not temperature_first:
            logits = scale(logits, temperature)
        probs = torch.softmax(logits, dim=-1)
        if draw == "argmax":
            return probs.argmax(dim=-1)
        return torch.multinomial(probs, 1, generator=None if draw == "global" else generator).squeeze(-1)

    return sample_next


def _greedy_decode(*, pad="eos", stop="all-finished", context="prefix", length="new-tokens"):
    """greedy_decode with finished rows padded with `pad` ("eos", "zero", or "nothing": they keep
    generating), stopping when `stop` ("all-finished" or "any-finished"), feeding step_fn the whole
    "prefix" or the "last" token only, and reading max_new_tokens as "new-tokens" or "total-length"."""

    def greedy_decode(step_fn, prompt, max_new_tokens, eos_id=None):
        ids = prompt
        finished = torch.zeros(prompt.shape[0], dtype=torch.bool, device=prompt.device)
        steps = max_new_tokens if length == "new-tokens" else max(max_new_tokens - prompt.shape[1], 0)
        for _ in range(steps):
            next_ids = step_fn(ids if context == "prefix" else ids[:, -1:]).argmax(dim=-1)
            if eos_id is not None:
                if pad != "nothing":
                    next_ids = next_ids.masked_fill(finished, eos_id if pad == "eos" else 0)
                finished = finished | (next_ids == eos_id)
            ids = torch.cat([ids, next_ids[:, None]], dim=-1)
            if eos_id is not None and bool(finished.any() if stop == "any-finished" else finished.all()):
                break
        return ids

    return greedy_decode


FILTERED_TO_ZERO = dict(top_k_filter=_top_k(fill=0.0), top_p_filter=_top_p(fill=0.0))
IN_PLACE = dict(top_k_filter=_top_k(in_place=True), top_p_filter=_top_p(in_place=True))

MISTAKES = [
    mistake(
        "top-k-drops-ties",
        "Exactly k tokens are kept (the indices torch.topk returns), so tokens tied with the k-th largest "
        "logit are dropped arbitrarily. Keep every token whose logit is ≥ the k-th largest value "
        "(logits < kth → −inf, as Hugging Face's TopKLogitsWarper): ties are treated alike, and the result "
        "does not depend on how topk orders equal values.",
        top_k_filter=_top_k(keep="exactly-k"),
    ),
    mistake(
        "top-k-drops-kth",
        "The k-th largest value itself is removed (`logits <= kth`), leaving k − 1 tokens. Only logits strictly "
        "below the k-th largest go: `logits < kth`.",
        top_k_filter=_top_k(keep="k-minus-one"),
    ),
    mistake(
        "filtered-to-zero",
        "Filtered logits are set to 0 instead of −∞. A logit of 0 is a perfectly ordinary score: after the "
        "softmax the removed tokens keep probability e⁰/Σ and can still be sampled. Only −∞ gives exactly 0.",
        **FILTERED_TO_ZERO,
    ),
    mistake(
        "filters-in-place",
        "The filters write −∞ into the logits they were given (`logits[mask] = -inf`) and return them: the "
        "caller's logits change. Build a new tensor (`logits.masked_fill(mask, float('-inf'))`); inputs are "
        "read-only.",
        **IN_PLACE,
    ),
    mistake(
        "top-p-drops-crossing-token",
        "A token is kept only while the cumulative probability *including* it stays ≤ p, so the token that "
        "crosses p is dropped, and when the most probable token alone exceeds p nothing is left (all −∞, "
        "NaN after the softmax). The nucleus is the smallest set whose cumulative probability reaches p: keep "
        "a token while the tokens *before* it sum to less than p (shift the cumulative sum by one).",
        top_p_filter=_top_p(rule="including-exceeds"),
    ),
    mistake(
        "top-p-exceeds-p",
        "Tokens are added until the cumulative probability *exceeds* p, so when it reaches p exactly one token "
        "too many is kept (the old `cumulative > p` shifted by one). The nucleus is the smallest set whose "
        "cumulative probability is ≥ p: drop a token once the tokens before it reach p (`before >= p`).",
        top_p_filter=_top_p(rule="before-exceeds"),
    ),
    mistake(
        "top-p-unsorted",
        "The cumulative probability runs over the tokens in vocabulary order. The nucleus is made of the *most "
        "probable* tokens: sort the logits in descending order first, take the cumulative sum of their softmax, "
        "and map the decision back with the sort's indices.",
        top_p_filter=_top_p(sort=False),
    ),
    mistake(
        "top-p-mask-not-unsorted",
        "The keep/drop decision is taken in sorted order but applied to the logits in vocabulary order: entry j "
        "of the sorted mask belongs to token order[j], not to token j. Scatter it back (`mask.scatter(-1, order, "
        "mask)`) before masking.",
        top_p_filter=_top_p(unsort=False),
    ),
    mistake(
        "temperature-after-filtering",
        "The temperature is applied after top-k and top-p. Top-k does not care (dividing by a positive number "
        "keeps the order), but the nucleus does: it must be taken on the distribution that is sampled, "
        "softmax(logits / T). Hugging Face's warpers divide by the temperature first.",
        sample_next=_sample_next(temperature_first=False),
    ),
    mistake(
        "temperature-multiplied",
        "The logits are multiplied by the temperature. Sampling uses softmax(logits / T): T < 1 sharpens the "
        "distribution towards the argmax, T > 1 flattens it; multiplying does the opposite.",
        sample_next=_sample_next(scale=lambda logits, t: logits * t),
    ),
    mistake(
        "top-p-before-top-k",
        "The nucleus is taken before top-k. The order is top-k, then top-p on what is left: after top-k the "
        "remaining probabilities are renormalised, so the nucleus of the top-k tokens can be smaller than "
        "min(k, nucleus of the full distribution).",
        sample_next=_sample_next(top_p_first=True),
    ),
    mistake(
        "argmax-not-sampled",
        "sample_next returns the most probable token instead of drawing one: that is greedy decoding. Sampling "
        "draws from softmax(filtered logits / T), e.g. torch.multinomial(probs, 1, generator=generator).",
        sample_next=_sample_next(draw="argmax"),
    ),
    mistake(
        "global-generator",
        "The draw ignores the `generator` argument (torch.multinomial(probs, 1) uses torch's global generator): "
        "the same generator state no longer gives the same tokens, and other code's random numbers shift. Pass "
        "generator=generator to every random call.",
        sample_next=_sample_next(draw="global"),
    ),
    mistake(
        "no-eos-padding",
        "Rows that have emitted eos_id keep generating. A finished sequence is over: every later position of "
        "that row must be eos_id (padding), whatever the model predicts there.",
        greedy_decode=_greedy_decode(pad="nothing"),
    ),
    mistake(
        "padded-with-zero",
        "Finished rows are padded with 0 instead of eos_id. The contract pads with eos_id, so that "
        "`ids == eos_id` marks every position after the end (0 is an ordinary token id).",
        greedy_decode=_greedy_decode(pad="zero"),
    ),
    mistake(
        "stop-at-first-eos",
        "Generation stops for the whole batch as soon as any row emits eos_id. Only that row is finished: "
        "the others continue until they emit eos_id too or max_new_tokens is reached.",
        greedy_decode=_greedy_decode(stop="any-finished"),
    ),
    mistake(
        "last-token-only",
        "step_fn is given only the last token (ids[:, -1:]). An autoregressive model predicts the next token "
        "from the whole prefix, p(xₜ | x₁ … xₜ₋₁): without a KV cache, pass every id so far, (B, t).",
        greedy_decode=_greedy_decode(context="last"),
    ),
    mistake(
        "max-new-tokens-as-length",
        "max_new_tokens is read as the total length (prompt included): generation stops at T + n = "
        "max_new_tokens. It counts the tokens to generate after the prompt (Hugging Face's max_new_tokens, "
        "not max_length): the result is (B, T + max_new_tokens) unless every row finished.",
        greedy_decode=_greedy_decode(length="total-length"),
    ),
]
