"""The vit_patches reference is torchvision's ViT input: a Conv2d with kernel = stride = P, its output
flattened row-major, the class token first, the position embeddings added; patchify is im2col.

torchvision is not a dependency, so VisionTransformer's `_process_input` and the start of its
`forward` (and of its encoder: `input + self.pos_embedding`) are restated here from torch.nn primitives.
"""

from __future__ import annotations

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from dlprep import paths
from dlprep.grading import grader
from dlprep.katas.catalog import load
from tests.katas.strategies import reference, seeds

ref = reference("vit_patches")
KATA = load().get("vit_patches")
counts = st.integers(min_value=1, max_value=4)


class TorchvisionViTInput(nn.Module):
    """torchvision.models.vision_transformer.VisionTransformer up to the encoder's dropout (square or not)."""

    def __init__(self, patches_h, patches_w, patch_size, channels, hidden_dim):
        super().__init__()
        self.patch_size, self.hidden_dim = patch_size, hidden_dim
        self.conv_proj = nn.Conv2d(channels, hidden_dim, kernel_size=patch_size, stride=patch_size)
        self.class_token = nn.Parameter(torch.zeros(1, 1, hidden_dim))
        self.pos_embedding = nn.Parameter(torch.empty(1, patches_h * patches_w + 1, hidden_dim).normal_(std=0.02))

    def forward(self, x):
        n, _, h, w = x.shape
        p = self.patch_size
        x = self.conv_proj(x)  # (n, hidden_dim, n_h, n_w)
        x = x.reshape(n, self.hidden_dim, (h // p) * (w // p)).permute(0, 2, 1)
        x = torch.cat([self.class_token.expand(n, -1, -1), x], dim=1)
        return x + self.pos_embedding


@settings(max_examples=30, deadline=None)
@given(B=st.integers(1, 3), C=st.integers(1, 4), h=counts, w=counts, P=st.integers(1, 4), D=st.integers(1, 8), seed=seeds)
def test_patch_embed_matches_torchvisions_conv_proj_class_token_and_pos_embedding(B, C, h, w, P, D, seed):
    gen = torch.Generator().manual_seed(seed)
    theirs = TorchvisionViTInput(h, w, P, C, D).double()
    with torch.no_grad():
        for parameter in theirs.parameters():
            parameter.copy_(torch.randn(parameter.shape, generator=gen, dtype=torch.float64))
    state = theirs.state_dict()
    assert state["conv_proj.weight"].shape == (D, C, P, P) and state["class_token"].shape == (1, 1, D)
    images = torch.randn(B, C, h * P, w * P, generator=gen, dtype=torch.float64, requires_grad=True)
    inputs = (images, theirs.conv_proj.weight, theirs.conv_proj.bias, theirs.class_token, theirs.pos_embedding)

    mine = ref.patch_embed(images, P, *inputs[1:])
    want = theirs(images)
    assert mine.shape == (B, h * w + 1, D)
    torch.testing.assert_close(mine, want, rtol=1e-10, atol=1e-12)
    upstream = torch.randn(want.shape, generator=gen, dtype=torch.float64)
    for a, b in zip(torch.autograd.grad(mine, inputs, upstream), torch.autograd.grad(want, inputs, upstream)):
        torch.testing.assert_close(a, b, rtol=1e-9, atol=1e-11)


@settings(max_examples=30, deadline=None)
@given(B=st.integers(1, 3), C=st.integers(1, 4), h=counts, w=counts, P=st.integers(1, 4), seed=seeds)
def test_patchify_is_im2col_and_an_identity_convolution(B, C, h, w, P, seed):
    gen = torch.Generator().manual_seed(seed)
    images = torch.randn(B, C, h * P, w * P, generator=gen, dtype=torch.float64, requires_grad=True)
    mine = ref.patchify(images, P)
    im2col = F.unfold(images, kernel_size=P, stride=P).transpose(1, 2)  # (B, N, C·P·P)
    identity = torch.eye(C * P * P, dtype=torch.float64).reshape(C * P * P, C, P, P)
    as_conv = F.conv2d(images, identity, stride=P).flatten(2).transpose(1, 2)
    assert mine.shape == (B, h * w, C * P * P)
    assert torch.equal(mine, im2col) and torch.equal(mine, as_conv)
    upstream = torch.randn(mine.shape, generator=gen, dtype=torch.float64)
    (mine_grad,) = torch.autograd.grad(mine, images, upstream)
    (their_grad,) = torch.autograd.grad(im2col, images, upstream)
    assert torch.equal(mine_grad, their_grad)


def test_patchify_golden():
    images = torch.arange(2 * 4 * 4).reshape(1, 2, 4, 4)  # channel 0 holds 0 … 15, channel 1 holds 16 … 31
    patches = ref.patchify(images, 2)
    assert patches.shape == (1, 4, 8)
    assert patches[0, 1].tolist() == [2, 3, 6, 7, 18, 19, 22, 23]  # row 0, column 1: (C, P, P) order
    assert patches[0, 2].tolist() == [8, 9, 12, 13, 24, 25, 28, 29]  # row 1, column 0


@settings(max_examples=20, deadline=None)
@given(H=st.integers(1, 12), W=st.integers(1, 12), P=st.integers(2, 5))
def test_patchify_refuses_sizes_that_are_not_multiples_of_p(H, W, P):
    images = torch.zeros(1, 2, H, W)
    if H % P == 0 and W % P == 0:
        assert ref.patchify(images, P).shape == (1, (H // P) * (W // P), 2 * P * P)
    else:
        with pytest.raises(ValueError):
            ref.patchify(images, P)


def test_vit_b16_has_197_tokens():
    images = torch.empty(1, 3, 224, 224, device="meta")
    out = ref.patch_embed(images, 16, torch.empty(768, 3, 16, 16, device="meta"), torch.empty(768, device="meta"),
                          torch.empty(1, 1, 768, device="meta"), torch.empty(1, 197, 768, device="meta"))
    assert out.device.type == "meta" and out.shape == (1, 197, 768)


UNFOLD_VIEW = '''
def patchify(images, patch_size):
    """Tensor.unfold: a strided view, allowed."""
    B, C, H, W = images.shape
    P = patch_size
    if H % P or W % P:
        raise ValueError("H and W must be multiples of the patch size")
    windows = images.unfold(2, P, P).unfold(3, P, P)  # (B, C, h, w, P, P)
    return windows.permute(0, 2, 3, 1, 4, 5).reshape(B, -1, C * P * P)
'''

IM2COL_HIDDEN = '''
def patchify(images, patch_size):
    """im2col reached through torch._C._nn by a name the source does not spell."""
    B, C, H, W = images.shape
    if H % patch_size or W % patch_size:
        raise ValueError("H and W must be multiples of the patch size")
    im2col = getattr(torch._C._nn, "im2" + "col")
    return im2col(images, (patch_size, patch_size), (1, 1), (0, 0), (patch_size, patch_size)).transpose(1, 2)
'''


def _grade_with(patchify_source, tmp_path):
    submission = tmp_path / "vit_patches.py"
    submission.write_text(paths.reference(KATA.id).read_text() + patchify_source)
    return grader.grade(KATA, submission, ["cpu"])


def test_tensor_unfold_is_allowed(tmp_path):
    report = _grade_with(UNFOLD_VIEW, tmp_path)
    assert report.passed, (report.error, [(c.name, c.message) for c in report.checks if not c.passed])


def test_im2col_is_refused_whatever_route_reaches_it(tmp_path):
    report = _grade_with(IM2COL_HIDDEN, tmp_path)
    assert not report.passed
    assert report.error is not None and report.error.kind == "forbidden-api", report.error
