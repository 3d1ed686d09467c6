"""Mistakes interviewers see in BERT's masked-LM corruption."""

import torch

from dlprep.grading.spec import mistake


def _mask_tokens(*, skip_special=True, corrupt_all=False, mask_share=0.8, random_share=0.1, ignore_label=-100,
                 labels_after=False, random_range=lambda mask_id, vocab_size: (0, vocab_size), own_generator=True):
    """mask_tokens with one part done the given way (all defaults: the reference).

    `corrupt_all` draws the 80/10/10 replacement for every position instead of the selected ones;
    `mask_share` and `random_share` are the shares of the selected positions masked and randomised;
    `labels_after` copies the labels from the corrupted inputs; `random_range` gives the [low, high)
    of the random ids; `own_generator=False` draws from torch's global generator.
    """

    def mask_tokens(tokens, mask_token_id, vocab_size, special_mask, generator, p=0.15):
        shape, device = tokens.shape, tokens.device
        gen = generator if own_generator else None
        selected = torch.rand(shape, generator=gen, device=device) < p
        if skip_special:
            selected = selected & ~special_mask
        corrupted = torch.ones_like(selected) if corrupt_all else selected
        action = torch.rand(shape, generator=gen, device=device)
        to_mask = corrupted & (action < mask_share)
        to_random = corrupted & (action >= mask_share) & (action < mask_share + random_share)
        random_tokens = torch.randint(*random_range(mask_token_id, vocab_size), shape, generator=gen, device=device)
        inputs = torch.where(to_random, random_tokens, tokens.masked_fill(to_mask, mask_token_id))
        labels = (inputs if labels_after else tokens).masked_fill(~selected, ignore_label)
        return inputs, labels

    return mask_tokens


MISTAKES = [
    mistake(
        "special-tokens-selected",
        "Special positions ([CLS], [SEP], padding) are selected like any other: p is applied to all positions. "
        "The special_mask marks positions that must never be masked or predicted: their selection probability "
        "is 0 (Hugging Face fills the probability matrix with 0 there), so their labels stay −100 and their "
        "inputs unchanged.",
        mask_tokens=_mask_tokens(skip_special=False),
    ),
    mistake(
        "corruption-not-restricted-to-selected",
        "The 80/10/10 draw is applied to every position, not only to the selected ones, so about 80% of all "
        "tokens become [MASK]. First select p of the positions; the 80/10/10 split is *of those*: 80% of the "
        "selected → [MASK], 10% → a random token, 10% unchanged (`& selected` on each draw); the others keep "
        "their token.",
        mask_tokens=_mask_tokens(corrupt_all=True),
    ),
    mistake(
        "labels-zero",
        "Positions that are not selected get the label 0 instead of −100. 0 is a real token id (often [PAD]), "
        "so the loss would train the model to predict it everywhere; −100 is cross-entropy's ignore_index "
        "(`F.cross_entropy(..., ignore_index=-100)`, the default), which leaves those positions out of the loss.",
        mask_tokens=_mask_tokens(ignore_label=0),
    ),
    mistake(
        "labels-from-corrupted-inputs",
        "The labels are copied from the inputs after the corruption, so a selected position's label is [MASK] "
        "(or the random token) instead of what was there. The model must learn to recover the *original* "
        "token: labels = tokens where selected (clone the tokens before changing anything), −100 elsewhere.",
        mask_tokens=_mask_tokens(labels_after=True),
    ),
    mistake(
        "always-mask-token",
        "Every selected position becomes [MASK]. BERT replaces only 80% of them; 10% get a random token and 10% "
        "keep theirs, so that the model cannot rely on seeing [MASK] (which never appears when fine-tuning) and "
        "must keep a good representation of every input token.",
        mask_tokens=_mask_tokens(mask_share=1.0, random_share=0.0),
    ),
    mistake(
        "random-share-of-remainder",
        "The random-token draw uses probability 0.1 on the 20% left after masking, so only 2% of the selected "
        "positions get a random token and 18% stay unchanged. The split is 80/10/10 of the selected positions: "
        "of the 20% not masked, half (probability 0.5, as Hugging Face's second Bernoulli) get a random token.",
        mask_tokens=_mask_tokens(random_share=0.02),
    ),
    mistake(
        "random-token-off-by-one",
        "Random tokens are drawn from [0, vocab_size − 1): torch.randint's upper end is exclusive, so "
        "randint(0, vocab_size - 1) never draws the last id. \"A uniformly random token\" is uniform over the "
        "whole vocabulary, [0, vocab_size): torch.randint(vocab_size, shape).",
        mask_tokens=_mask_tokens(random_range=lambda mask_id, vocab_size: (0, vocab_size - 1)),
    ),
    mistake(
        "random-token-skips-special-ids",
        "Random tokens are drawn above the special ids (torch.randint(mask_token_id + 1, vocab_size)), so "
        "[PAD], [CLS], [SEP] and [MASK] are never drawn. The contract, as Hugging Face's collator, draws \"a "
        "uniformly random token\" from the whole vocabulary [0, vocab_size): it may be a special id, the mask "
        "id or the original token. (Excluding special ids is a defensible variant, but it is another sampler: "
        "its random tokens have another distribution.)",
        mask_tokens=_mask_tokens(random_range=lambda mask_id, vocab_size: (mask_id + 1, vocab_size)),
    ),
    mistake(
        "global-generator",
        "The random draws ignore the `generator` argument (torch.rand(shape) uses torch's global generator): "
        "the same generator state no longer gives the same masking, and every other user of the global "
        "generator shifts. Pass generator=generator (and device=tokens.device) to every random call.",
        mask_tokens=_mask_tokens(own_generator=False),
    ),
]
