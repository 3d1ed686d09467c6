"""Kata `mlm_masking`: BERT's masked-language-model corruption (the "80/10/10" rule).

Draw every random number from the `generator` argument (a torch.Generator on the tokens'
device): never from torch's global generator. Grade with `dlprep grade mlm_masking`.
"""

import torch


def mask_tokens(tokens, mask_token_id, vocab_size, special_mask, generator, p=0.15):
    """Corrupt a batch of token ids for masked-LM pre-training, as Hugging Face's collator does.

    Each position where special_mask is False is *selected* independently with probability p.
    Of the selected positions:

        80%  -> mask_token_id
        10%  -> a token drawn uniformly from [0, vocab_size)   (it may be any id, even the original)
        10%  -> left as it is

    Positions that are not selected keep their token. The labels are the original token where
    selected and −100 (cross-entropy's ignore_index) everywhere else, so the loss only sees the
    selected positions.

    Args:
        tokens: (B, L) or (L,) int64 token ids. Read-only.
        mask_token_id: int, the id of [MASK].
        vocab_size: int.
        special_mask: bool tensor of tokens' shape, True at [CLS], [SEP], padding: never selected.
        generator: torch.Generator on the tokens' device, the only source of randomness.
        p: probability of selecting a position that is not special.

    Returns:
        (inputs, labels), both int64 of tokens' shape on the tokens' device.
    """
    raise NotImplementedError
