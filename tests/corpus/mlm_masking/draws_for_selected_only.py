"""Random numbers drawn only for the selected positions, through their flat indices (index_put)."""

import torch


def mask_tokens(tokens, mask_token_id, vocab_size, special_mask, generator, p=0.15):
    flat = tokens.reshape(-1)
    candidates = (~special_mask.reshape(-1)).nonzero(as_tuple=True)[0]
    coin = torch.rand(candidates.numel(), generator=generator, device=tokens.device)
    chosen = candidates[coin < p]

    labels = torch.full_like(flat, -100)
    labels[chosen] = flat[chosen]

    inputs = flat.clone()
    action = torch.rand(chosen.numel(), generator=generator, device=tokens.device)
    inputs[chosen[action < 0.8]] = mask_token_id
    random_positions = chosen[(action >= 0.8) & (action < 0.9)]
    inputs[random_positions] = torch.randint(0, vocab_size, (random_positions.numel(),), generator=generator,
                                             device=tokens.device)
    return inputs.view(tokens.shape), labels.view(tokens.shape)
