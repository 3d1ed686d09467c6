"""The transformer_block reference is nn.TransformerEncoderLayer / nn.TransformerDecoderLayer with
norm_first=True, dropout=0.0, activation="relu", batch_first=True: same outputs and gradients
with the weights copied across; the stub's submodules are the reference's."""

from __future__ import annotations

import torch
import torch.nn as nn
from hypothesis import given, settings
from hypothesis import strategies as st

from dlprep import paths
from dlprep.grading import loaders
from tests.katas.helpers import bool_mask
from tests.katas.strategies import reference, seeds, small

ref = reference("transformer_block")
stub = loaders.load_module(paths.stub("transformer_block"), "transformer_block_stub")
ATTENTIONS = {"EncoderBlock": {"self_attn": "self_attn"},
              "DecoderBlock": {"self_attn": "self_attn", "cross_attn": "multihead_attn"}}


def _torch_layer(kind, d_model, h, d_ff):
    cls = nn.TransformerEncoderLayer if kind == "EncoderBlock" else nn.TransformerDecoderLayer
    return cls(d_model, h, d_ff, dropout=0.0, activation="relu", batch_first=True, norm_first=True, dtype=torch.float64)


def _their_state(kind, ours: dict) -> dict:
    """Our state dict under nn.Transformer*Layer's names: q, k, v stacked into in_proj."""
    state = {key: value for key, value in ours.items() if not key.startswith(tuple(ATTENTIONS[kind]))}
    for mine, theirs in ATTENTIONS[kind].items():
        for kind_ in ("weight", "bias"):
            state[f"{theirs}.in_proj_{kind_}"] = torch.cat([ours[f"{mine}.{p}_proj.{kind_}"] for p in "qkv"])
            state[f"{theirs}.out_proj.{kind_}"] = ours[f"{mine}.out_proj.{kind_}"]
    return state


def _their_grad(kind, layer, key):
    """The gradient in `layer` (PyTorch's) of our parameter `key`."""
    for mine, theirs in ATTENTIONS[kind].items():
        if key.startswith(mine + ".") and not key.startswith(f"{mine}.out_proj"):
            _, proj, kind_ = key.split(".")
            index = "qkv".index(proj[0])
            return getattr(getattr(layer, theirs), f"in_proj_{kind_}").grad.chunk(3)[index]
        if key.startswith(mine + "."):
            key = theirs + key[len(mine):]
    return layer.get_parameter(key).grad


def _theirs(mask, B, h):
    """PyTorch's attn_mask: True = masked, and one (L, S) map per batch element *and head*."""
    if mask is None:
        return None
    return ~(mask.repeat_interleave(h, dim=0) if mask.dim() == 3 else mask)


masks = st.sampled_from(["none", "2d", "3d"])


@settings(max_examples=20, deadline=None)
@given(kind=st.sampled_from(["EncoderBlock", "DecoderBlock"]), B=st.integers(1, 3), L=small, S=small,
       h=st.sampled_from([1, 2, 4]), d=st.integers(1, 4), d_ff=st.integers(1, 12),
       self_mask=masks, cross_mask=masks, seed=seeds)
def test_matches_torch_transformer_layers(kind, B, L, S, h, d, d_ff, self_mask, cross_mask, seed):
    gen = torch.Generator().manual_seed(seed)
    d_model = h * d
    mine = getattr(ref, kind)(d_model, h, d_ff).double()
    with torch.no_grad():  # random values everywhere, LayerNorm's γ and β included
        for p in mine.parameters():
            p.copy_(torch.randn(p.shape, generator=gen, dtype=torch.float64) / d_model**0.5)
    theirs = _torch_layer(kind, d_model, h, d_ff)
    theirs.load_state_dict(_their_state(kind, mine.state_dict()), strict=True)

    x = torch.randn(B, L, d_model, generator=gen, dtype=torch.float64, requires_grad=True)
    upstream = torch.randn(B, L, d_model, generator=gen, dtype=torch.float64)
    mask = bool_mask(self_mask, B, L, L, gen)
    if kind == "EncoderBlock":
        inputs = (x,)
        out = mine(x, mask)
        want = theirs(x, src_mask=_theirs(mask, B, h))
    else:
        memory = torch.randn(B, S, d_model, generator=gen, dtype=torch.float64, requires_grad=True)
        memory_mask = bool_mask(cross_mask, B, L, S, gen)
        inputs = (x, memory)
        out = mine(x, memory, tgt_mask=mask, memory_mask=memory_mask)
        want = theirs(x, memory, tgt_mask=_theirs(mask, B, h), memory_mask=_theirs(memory_mask, B, h))
    torch.testing.assert_close(out, want, rtol=1e-10, atol=1e-12)

    got = torch.autograd.grad(out, inputs, upstream, retain_graph=True)
    expected = torch.autograd.grad(want, inputs, upstream, retain_graph=True)
    for a, b in zip(got, expected, strict=True):
        torch.testing.assert_close(a, b, rtol=1e-9, atol=1e-11)
    out.backward(upstream)
    want.backward(upstream)
    for key, p in mine.named_parameters():
        torch.testing.assert_close(p.grad, _their_grad(kind, theirs, key), rtol=1e-9, atol=1e-11, msg=key)


def _count(kind, d, d_ff):
    attention, norm, ffn = 4 * d * d + 4 * d, 2 * d, 2 * d * d_ff + d_ff + d
    return ffn + (attention + 2 * norm if kind == "EncoderBlock" else 2 * attention + 3 * norm)


@settings(max_examples=10, deadline=None)
@given(kind=st.sampled_from(["EncoderBlock", "DecoderBlock"]), h=st.sampled_from([1, 2, 4]), d=small, d_ff=small)
def test_stub_creates_the_reference_submodules(kind, h, d, d_ff):
    """The learner's stub names every parameter as the reference does, so state dicts load strictly."""
    ours = getattr(ref, kind)(h * d, h, d_ff)
    given_ = getattr(stub, kind)(h * d, h, d_ff)
    assert {k: v.shape for k, v in ours.state_dict().items()} == {k: v.shape for k, v in given_.state_dict().items()}
    given_.load_state_dict(ours.state_dict(), strict=True)
    assert sum(p.numel() for p in ours.parameters()) == _count(kind, h * d, d_ff)
    # and as many parameters as PyTorch's own layer
    assert sum(p.numel() for p in _torch_layer(kind, h * d, h, d_ff).parameters()) == _count(kind, h * d, d_ff)


def test_decoder_with_a_causal_mask_ignores_the_future():
    gen = torch.Generator().manual_seed(0)
    block = ref.DecoderBlock(8, 2, 16).double()
    x = torch.randn(2, 5, 8, generator=gen, dtype=torch.float64)
    memory = torch.randn(2, 3, 8, generator=gen, dtype=torch.float64)
    causal = torch.ones(5, 5, dtype=torch.bool).tril()
    changed = x.clone()
    changed[:, 3:] += 1.0  # the future of positions 0, 1, 2
    a, b = block(x, memory, tgt_mask=causal), block(changed, memory, tgt_mask=causal)
    torch.testing.assert_close(a[:, :3], b[:, :3])
    assert not torch.allclose(a[:, 3:], b[:, 3:])


def test_reference_stays_on_the_meta_device():
    enc, dec = ref.EncoderBlock(8, 2, 16).to("meta"), ref.DecoderBlock(8, 2, 16).to("meta")
    x, memory = torch.empty(2, 5, 8, device="meta"), torch.empty(2, 3, 8, device="meta")
    mask = torch.empty(2, 5, 5, dtype=torch.bool, device="meta")
    for out in (enc(x, mask), dec(x, memory, tgt_mask=mask, memory_mask=torch.empty(5, 3, dtype=torch.bool, device="meta"))):
        assert out.device.type == "meta" and out.shape == (2, 5, 8)
