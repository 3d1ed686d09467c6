"""Mistakes interviewers see in pre-LN transformer blocks."""

import math

import torch
import torch.nn.functional as F

from dlprep.grading.spec import mistake
from dlprep.solutions import transformer_block as reference


def _attention(*, scale=lambda E, h: math.sqrt(E // h), masked=lambda mask: mask == 0, head_dim=True):
    """MultiHeadAttention with its scale or its masking done the given way."""

    class MultiHeadAttention(reference.MultiHeadAttention):
        def forward(self, query, key, value, mask=None):
            B, L, E = query.shape
            S = key.size(1)
            h, d = self.num_heads, E // self.num_heads
            q = self.q_proj(query).view(B, L, h, d).transpose(1, 2)
            k = self.k_proj(key).view(B, S, h, d).transpose(1, 2)
            v = self.v_proj(value).view(B, S, h, d).transpose(1, 2)
            scores = q @ k.transpose(-2, -1) / scale(E, h)
            if mask is not None:
                if mask.dim() == 3 and head_dim:
                    mask = mask.unsqueeze(1)
                scores = scores.masked_fill(masked(mask), float("-inf"))
            heads = (torch.softmax(scores, dim=-1) @ v).transpose(1, 2).reshape(B, L, E)
            return self.out_proj(heads)

    return MultiHeadAttention


def _blocks(*, sublayer="pre-ln", activation=F.relu, causal=True, cross_kv="memory"):
    """EncoderBlock and DecoderBlock with one part done the given way (all defaults: the reference).

    `sublayer`: how each residual sublayer is wired: "pre-ln" x + f(norm(x)) (the reference),
    "post-ln" norm(x + f(x)), "residual-after-norm" norm(x) + f(norm(x)).
    `cross_kv`: where the cross-attention's keys and values come from: "memory", "x" (the
    normalised decoder stream) or "normed-memory".
    """

    def residual(x, norm, f):
        if sublayer == "post-ln":
            return norm(x + f(x))
        if sublayer == "residual-after-norm":
            h = norm(x)
            return h + f(h)
        return x + f(norm(x))

    def ffn(block):
        return lambda h: block.linear2(activation(block.linear1(h)))

    class EncoderBlock(reference.EncoderBlock):
        def forward(self, x, mask=None):
            x = residual(x, self.norm1, lambda h: self.self_attn(h, h, h, mask))
            return residual(x, self.norm2, ffn(self))

    class DecoderBlock(reference.DecoderBlock):
        def forward(self, x, memory, tgt_mask=None, memory_mask=None):
            x = residual(x, self.norm1, lambda h: self.self_attn(h, h, h, tgt_mask if causal else None))

            def cross(h):
                kv = {"memory": memory, "x": h, "normed-memory": self.norm2(memory)}[cross_kv]
                return self.cross_attn(h, kv, kv, memory_mask)

            x = residual(x, self.norm2, cross)
            return residual(x, self.norm3, ffn(self))

    return {"EncoderBlock": EncoderBlock, "DecoderBlock": DecoderBlock}


MISTAKES = [
    mistake(
        "post-ln",
        "The blocks are post-LN, x = LayerNorm(x + Sublayer(x)) (the original paper's layout). This "
        "kata's blocks are pre-LN, as the guide's diagram x → LayerNorm → MultiHeadAttn → +x and "
        "nn.TransformerEncoderLayer(norm_first=True): x = x + Sublayer(LayerNorm(x)), so the residual "
        "stream is never normalised and gradients flow through the + unchanged.",
        **_blocks(sublayer="post-ln"),
    ),
    mistake(
        "residual-after-norm",
        "The residual adds the normalised x: x = LayerNorm(x) + Sublayer(LayerNorm(x)). In the pre-LN "
        "block the skip connection carries x itself, x = x + Sublayer(LayerNorm(x)): normalise only "
        "the sublayer's input, keep the original x for the +x.",
        **_blocks(sublayer="residual-after-norm"),
    ),
    mistake(
        "no-causal-mask-in-decoder",
        "The decoder's self-attention ignores `tgt_mask`, so each position also attends to later "
        "positions (the future). Masked self-attention applies tgt_mask (True = may attend; usually "
        "causal) to the self-attention scores, -∞ where masked, before the softmax.",
        **_blocks(causal=False),
    ),
    mistake(
        "cross-attn-kv-from-x",
        "The cross-attention takes its keys and values from the decoder's own stream x instead of "
        "`memory`. Cross-attention is queries from the decoder, keys and values from the encoder's "
        "output: cross_attn(LayerNorm(x), memory, memory, memory_mask).",
        **_blocks(cross_kv="x"),
    ),
    mistake(
        "memory-normed",
        "The cross-attention normalises `memory` with the decoder's LayerNorm before using it as keys "
        "and values. In the pre-LN decoder (and nn.TransformerDecoderLayer(norm_first=True)) only the "
        "query side goes through norm2: cross_attn(norm2(x), memory, memory); the encoder normalises "
        "its own output.",
        **_blocks(cross_kv="normed-memory"),
    ),
    mistake(
        "ffn-gelu",
        "The feed-forward network uses GELU. The guide's FFN(x) = max(0, xW₁ + b₁)W₂ + b₂ is a ReLU "
        "between the two linear layers (activation=\"relu\"); GELU is what BERT and GPT use, not this block.",
        **_blocks(activation=F.gelu),
    ),
    mistake(
        "missing-ffn-relu",
        "The feed-forward network has no activation: linear2(linear1(x)) is a single linear map. "
        "FFN(x) = max(0, xW₁ + b₁)W₂ + b₂: the ReLU between the layers is the block's non-linearity "
        "per position.",
        **_blocks(activation=lambda z: z),
    ),
    mistake(
        "mask-inverted",
        "The masks are inverted: in this kata True/1 means *may attend*, so the scores to hide are where "
        "`mask == 0` (the guide's `masked_fill(mask == 0, -inf)`). nn.MultiheadAttention's and "
        "nn.TransformerEncoderLayer's boolean masks mean the opposite (True = masked).",
        MultiHeadAttention=_attention(masked=lambda mask: mask != 0),
    ),
    mistake(
        "mask-missing-head-dim",
        "A 3-D mask (B, L, S) is applied to the (B, h, L, S) scores without a head dimension. "
        "Broadcasting aligns shapes from the right, so the mask's batch dimension lines up with the "
        "heads: batch element b's mask is applied to head b of every batch element (and the shapes only "
        "fit when B equals h or 1). Use mask.unsqueeze(1), (B, 1, L, S), to share it across the heads.",
        MultiHeadAttention=_attention(head_dim=False),
    ),
    mistake(
        "scale-by-d-model",
        "The attention scores are divided by √d_model instead of √d, d = d_model / num_heads. Each "
        "head computes softmax(QKᵀ/√d)V over its own d features; the two agree only with one head.",
        MultiHeadAttention=_attention(scale=lambda E, h: math.sqrt(E)),
    ),
]
