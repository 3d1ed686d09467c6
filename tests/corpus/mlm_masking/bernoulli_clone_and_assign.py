"""Hugging Face's collator: Bernoulli draws on probability matrices, clones assigned with boolean indexing."""

import torch


def mask_tokens(tokens, mask_token_id, vocab_size, special_mask, generator, p=0.15):
    labels = tokens.clone()
    inputs = tokens.clone()
    probability = torch.full(tokens.shape, p, device=tokens.device)
    probability.masked_fill_(special_mask, 0.0)
    selected = torch.bernoulli(probability, generator=generator).bool()
    labels[~selected] = -100
    eighty = torch.full(tokens.shape, 0.8, device=tokens.device)
    replaced = torch.bernoulli(eighty, generator=generator).bool() & selected
    inputs[replaced] = mask_token_id
    randomised = (torch.bernoulli(torch.full(tokens.shape, 0.5, device=tokens.device), generator=generator).bool()
                  & selected & ~replaced)
    words = torch.randint(vocab_size, tokens.shape, dtype=torch.long, generator=generator, device=tokens.device)
    inputs[randomised] = words[randomised]
    return inputs, labels
