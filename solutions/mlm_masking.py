"""Reference for `mlm_masking`: BERT's masked-LM corruption, as Hugging Face's collator draws it.

Each position that is not special is selected with probability p; of the selected, 80% become
the mask token, 10% a token drawn uniformly from the whole vocabulary, 10% stay as they are.
The labels keep the original token where selected and −100 (cross-entropy's ignore_index)
everywhere else, so the loss is computed on the selected positions only.
"""

import torch


def mask_tokens(tokens, mask_token_id, vocab_size, special_mask, generator, p=0.15):  # tokens: (B, L) or (L,)
    shape, device = tokens.shape, tokens.device
    selected = (torch.rand(shape, generator=generator, device=device) < p) & ~special_mask
    labels = tokens.masked_fill(~selected, -100)
    # one draw per position splits the selected ones 80/10/10
    action = torch.rand(shape, generator=generator, device=device)
    to_mask = selected & (action < 0.8)
    to_random = selected & (action >= 0.8) & (action < 0.9)
    random_tokens = torch.randint(vocab_size, shape, generator=generator, device=device)  # uniform over [0, V)
    inputs = tokens.masked_fill(to_mask, mask_token_id)
    inputs = torch.where(to_random, random_tokens, inputs)
    return inputs, labels
