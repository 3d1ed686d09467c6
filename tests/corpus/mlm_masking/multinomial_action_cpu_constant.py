"""The 80/10/10 action drawn with torch.multinomial from a CPU constant moved with .to; torch.where chains."""

import torch

SPLIT = torch.tensor([0.8, 0.1, 0.1])  # [MASK], random token, unchanged


def mask_tokens(tokens, mask_token_id, vocab_size, special_mask, generator, p=0.15):
    device = tokens.device
    keep_out = special_mask.to(torch.bool)
    selected = torch.bernoulli(torch.full(tokens.shape, float(p), device=device), generator=generator) == 1
    selected = selected & ~keep_out
    action = torch.multinomial(SPLIT.to(device), tokens.numel(), replacement=True, generator=generator)
    action = action.view(tokens.shape)
    random_ids = torch.randint(vocab_size, tokens.shape, generator=generator, device=device)
    inputs = torch.where(selected & (action == 0), torch.full_like(tokens, mask_token_id), tokens)
    inputs = torch.where(selected & (action == 1), random_ids, inputs)
    labels = torch.where(selected, tokens, torch.full_like(tokens, -100))
    return inputs, labels
