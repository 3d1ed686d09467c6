"""Kata `decoding`: how a language model picks its next token, and GPT-style generation.

Write four functions on logits (B, V): top-k and nucleus (top-p) filtering, sampling with a
temperature, and greedy autoregressive decoding. torch.multinomial is allowed; `transformers`
is forbidden. Draw every random number from the `generator` argument. Grade with
`dlprep grade decoding`.
"""

import torch


def top_k_filter(logits, k):
    """Keep the k largest logits of each row; set every other one to −inf.

    A logit stays when it is ≥ the k-th largest value of its row, so tokens tied with the k-th
    value all stay (a row may keep more than k tokens). Then softmax gives the removed tokens
    probability exactly 0.

    Args:
        logits: (B, V) floating tensor. Read-only.
        k: int, 1 <= k <= V.

    Returns:
        (B, V), the logits' dtype and device: the kept logits unchanged, −inf elsewhere.
    """
    raise NotImplementedError


def top_p_filter(logits, p):
    """Nucleus filtering: keep the smallest set of most probable tokens whose probability reaches p.

    With the tokens of a row sorted by probability, q₁ ≥ q₂ ≥ … (q = softmax(logits)), token i
    stays while the tokens before it sum to less than p:

        keep token i  ⇔  q₁ + … + qᵢ₋₁ < p

    so the token whose cumulative probability crosses p stays, the most probable token always
    stays, and when q₁ + … + qᵢ = p exactly the set ends at token i. Which of several tokens tied
    at the boundary is kept is free; how many is not.

    Args:
        logits: (B, V) floating tensor, possibly holding −inf already. Read-only.
        p: float, 0 < p <= 1.

    Returns:
        (B, V), the logits' dtype and device: the kept logits unchanged, −inf elsewhere, in the
        vocabulary's order.
    """
    raise NotImplementedError


def sample_next(logits, temperature=1.0, top_k=None, top_p=None, generator=None):
    """Draw one token per row from softmax(filtered logits / temperature).

    In this order, as Hugging Face's warpers: logits / temperature (temperature > 0), then
    top_k_filter if top_k is not None, then top_p_filter if top_p is not None, then a draw from
    the softmax of what is left (torch.multinomial is allowed).

    Args:
        logits: (B, V) floating tensor of the last position. Read-only.
        generator: a torch.Generator on the logits' device, or None for torch's global one: the
            only source of randomness (the same generator state must give the same tokens).

    Returns:
        (B,) int64 token ids on the logits' device.
    """
    raise NotImplementedError


def greedy_decode(step_fn, prompt, max_new_tokens, eos_id=None):
    """Generate autoregressively, always taking the most probable token.

        ids = prompt
        repeat max_new_tokens times:
            next = argmax over the vocabulary of step_fn(ids)     (B,)
            ids = [ids, next]                                     (B, t + 1)

    step_fn(ids) takes every id so far, (B, t) int64, and returns the logits (B, V) of the next
    token (a model without a KV cache). A row that emits eos_id is finished: every later position
    of that row is eos_id, whatever the model says. You may stop as soon as every row has
    finished, or run on to max_new_tokens: both are accepted.

    Args:
        step_fn: callable, (B, t) int64 -> (B, V) logits.
        prompt: (B, T) int64. Read-only.
        max_new_tokens: int >= 0, how many tokens to generate after the prompt.
        eos_id: int or None (then every row runs to max_new_tokens).

    Returns:
        (B, T + n) int64 on the prompt's device, the prompt first, n <= max_new_tokens.
    """
    raise NotImplementedError
