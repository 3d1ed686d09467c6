"""Every hint's code passes the checks it hints at.

Each snippet of a kata's hints (the code in backticks) runs inside the reference, in place of
the part it stands for, and the kata's own cases must all still pass, graded in process; where
a hint warns against some code, that code in the same place must fail them while the code the
hint recommends passes. `PLACES` says where each snippet goes: `replaces` is the reference's
text it stands for (by default the snippet itself, when the reference has it word for word),
and `into` binds the hint's names to the reference's around it. A snippet that only names
something (`torch.tanh`, `step()`, `x[t]`, `+=`) is not run; any other snippet without a place
fails the test, and so does code written in a hint's prose outside backticks.

The snippets run with the names the kata's stub imports, as a learner's code does. A snippet
that creates a tensor is also graded as a learner's file, by the learner's process and its
device tracking: a hint must not teach a device mistake.
"""

from __future__ import annotations

import ast
import re
import types
from functools import cache
from typing import NamedTuple

import pytest

from dlprep import paths
from dlprep.grading import forbidden
from dlprep.grading.authoring import grade_in_process
from dlprep.grading.grader import Grader
from dlprep.grading.report import GradeReport
from dlprep.katas.catalog import load

CATALOG = load()

_NAME = r"[A-Za-z_]\w*(?:\((?:\.\.\.)?\))?"
MENTION = re.compile(rf"[.@]?{_NAME}(?:\.{_NAME})*|\w+\[\w+\]|[^\w\s]+")
"""A name, a call without arguments, an element, an operator: what a hint mentions, not code to run."""

CREATES_A_TENSOR = re.compile(r"torch\.(?:arange|zeros|ones|empty|full|tensor|as_tensor|eye|linspace|rand\w*|tril|triu)\b|_like\(")

CODE_IN_PROSE = re.compile(r"[\w)\]]\.[A-Za-z_]\w*\(")
"""A method or library call (`x.mean(`, `np.exp(`): code, wherever a hint writes it."""


class Place(NamedTuple):
    kata: str
    hint: int
    """1-based, as `dlprep hint` counts."""
    code: str
    """The snippet, or a part of it that tells it from the hint's other snippets."""
    replaces: str | None = None
    into: str = "{code}"
    instead: str | None = None
    """For code the hint warns against: the code it recommends in that place."""

    def __str__(self) -> str:
        return f"{self.kata}-{self.hint}-{self.code}"


def snippets(kata_id: str, hint: int) -> list[str]:
    return re.findall(r"`([^`]+)`", CATALOG.get(kata_id).hints[hint - 1])


def snippet(place: Place) -> str:
    found = [code for code in snippets(place.kata, place.hint) if code == place.code]
    found = found or [code for code in snippets(place.kata, place.hint) if place.code in code]
    assert len(found) == 1, f"hint {place.hint} of {place.kata}: expected one snippet with {place.code!r}, found {found}"
    return found[0]


def placed(place: Place, code: str) -> str:
    """The reference's source with `code` where `place` puts it, indented as the text it replaces."""
    source = paths.reference(place.kata).read_text(encoding="utf-8")
    replaces = place.replaces or code
    assert source.count(replaces) == 1, f"the reference of {place.kata} must hold {replaces!r} exactly once"
    start = source.index(replaces)
    line = source[source.rfind("\n", 0, start) + 1 : start]
    indent = line[: len(line) - len(line.lstrip())]
    return source.replace(replaces, place.into.replace("{code}", code).replace("\n", "\n" + indent))


@cache
def stub_imports(kata_id: str) -> str:
    tree = ast.parse(paths.stub(kata_id).read_text(encoding="utf-8"))
    return "\n".join(ast.unparse(node) for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom)))


@cache
def grade(kata_id: str, source: str) -> GradeReport:
    module = types.ModuleType(f"dlprep_hinted_{kata_id}")
    exec(compile(stub_imports(kata_id), f"<{kata_id} stub>", "exec"), module.__dict__)
    exec(compile(source, f"<{kata_id} reference with a hint's code>", "exec"), module.__dict__)
    return grade_in_process(CATALOG.get(kata_id), module)


def failures(report: GradeReport) -> str:
    lines = [f"{report.error.kind}: {report.error.message}"] if report.error else []
    return "\n".join(lines + [f"{check.name}: {check.message}" for check in report.checks if not check.passed][:5])


# Names of the reference's blocks that several snippets stand in for.
ISIN = "is_global = torch.isin(positions, torch.as_tensor(list(global_tokens), dtype=torch.long, device=device))"
SPP_BINS = "return [(i * n // l, -(-(i + 1) * n // l)) for i in range(l)]"
SPP_GRID = """grid = torch.stack(
            [torch.stack([x[:, :, top:bottom, left:right].amax(dim=(-2, -1)) for left, right in _bins(W, l)], dim=-1)
             for top, bottom in _bins(H, l)],
            dim=-2,
        )"""
SPP_ROW = "torch.stack([x[:, :, top:bottom, left:right].amax(dim=(-2, -1)) for left, right in _bins(W, l)], dim=-1)"
BACKPROP_STEP = """if l < len(params) - 1:
            delta = delta * activation_grad(z, activation)  # δˡ = (Wˡ⁺¹)ᵀδˡ⁺¹ ⊙ g'(zˡ)
        grads.append((delta.T @ a_prev, delta.sum(axis=0)))  # (n_out, n_in), (n_out,)
        delta = delta @ W"""
VIT_GRID = "grid = images.reshape(B, C, H // P, P, W // P, P)"

PLACES = [
    # --- 3.1 fundamentals
    Place("activations", 1, ".astype(z.dtype)", "(z > 0).astype(z.dtype)", "(z > 0){code}"),
    Place("activations", 2, "e = np.exp(-np.abs(z))"),
    Place("activations", 3, "0.5 * z", "0.5 * z * (1.0 + np.tanh(GELU_C * (z + 0.044715 * z**3)))"),
    Place("activations", 4, "s * (1 - s)", "s * (1.0 - s)"),
    Place("activations", 4, "s = sigmoid(z)"),
    Place("activations", 4, "1 - np.tanh(z)**2", "1.0 - tanh(z) ** 2"),
    Place("activations", 4, "(z > 0)", "(z > 0).astype(z.dtype)", "{code}.astype(z.dtype)"),  # cast as hint 1 says
    Place("activations", 5, "(z > 0).astype(z.dtype)"),
    Place("activations", 5, "np.where(z > 0, z, alpha * z)"),
    Place("activations", 5, "np.where(z > 0, 1.0, alpha).astype(z.dtype)"),
    Place("softmax", 2, "m = z.max", "shifted = z - z.max(axis=axis, keepdims=True)  #", "{code}\nshifted = z - m  #"),
    Place("softmax", 3, "e = np.exp(z - m)", "e = np.exp(shifted)", "m = z.max(axis=axis, keepdims=True)\n{code}"),
    Place("softmax", 3, "e / e.sum(axis=axis, keepdims=True)"),
    Place("softmax", 4, "np.log(softmax(z))", "shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))",
          "(lambda softmax: {code})(lambda z: softmax(z, axis=axis))",  # the softmax along the same axis
          instead="shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))"),
    Place("softmax", 5, "shifted = z", "shifted = z - z.max(axis=axis, keepdims=True)\n    return", "{code}\nreturn"),
    Place("softmax", 5, "return shifted"),
    Place("backprop", 1, "z = a @ W.T + b"),
    Place("backprop", 2, "shifted = logits"),
    Place("backprop", 2, "log_probs = shifted"),
    Place("backprop", 2, "loss = ", "loss = -log_probs[rows, y].mean()"),
    Place("backprop", 3, "delta = (softmax", "delta = np.exp(log_probs)\n    delta[rows, y] -= 1.0\n    delta /= N",
          "softmax = np.exp(log_probs)\none_hot = lambda y: np.eye(logits.shape[1])[y]\n{code}"),
    Place("backprop", 4, "dW = ", "grads.append((delta.T @ a_prev, delta.sum(axis=0)))", "{code}\ngrads.append((dW, delta.sum(axis=0)))"),
    Place("backprop", 4, "db = ", "grads.append((delta.T @ a_prev, delta.sum(axis=0)))", "{code}\ngrads.append((delta.T @ a_prev, db))"),
    Place("backprop", 4, "g_prime(z_prev)", BACKPROP_STEP,
          "grads.append((delta.T @ a_prev, delta.sum(axis=0)))\nif l > 0:\n    z_prev = cache[l - 1][1]\n"
          "    g_prime = lambda z: activation_grad(z, activation)\n    {code}"),
    Place("backprop", 4, "1 - np.tanh(z)**2", "1.0 - np.tanh(z) ** 2"),
    Place("backprop", 4, "s * (1 - s)", "s * (1.0 - s)"),
    Place("backprop", 4, "s = 1 / (1 + np.exp(-z))", 's = activate(z, "sigmoid")'),
    Place("backprop", 4, "(z > 0)", "(z > 0).astype(z.dtype)"),
    Place("init", 2, "rng.normal(loc, scale, size)", "return rng.normal(0.0, std, size=(n_out, n_in))  # (n_out, n_in), nn.",
          "loc, scale, size = 0.0, std, (n_out, n_in)\nreturn {code}  # (n_out, n_in), nn."),
    Place("init", 4, "return rng.normal", "std = np.sqrt(2.0 / (n_in + n_out))"),
    Place("init", 4, "np.sqrt(2.0 / n_in)"),
    Place("dropout", 2, "keep = rng.random(x.shape) >= p"),
    Place("dropout", 4, "mask = ", "mask = (keep / (1.0 - p)).astype(x.dtype)"),
    Place("dropout", 4, "out = x * mask", "return x * mask, mask", "{code}\nreturn out, mask"),
    Place("dropout", 4, "dx = dout * mask", "return dout * mask", "{code}\nreturn dx"),
    Place("batchnorm", 1, "x_hat = ", "x_hat = (x - mu) * inv_std"),
    Place("batchnorm", 2, "running_mean *= ", "running_mean *= 1 - momentum\n        running_mean += momentum * mu"),
    Place("batchnorm", 2, "var * N / (N - 1)", "var * (N / (N - 1))"),
    Place("batchnorm", 3, "dbeta = dout.sum(axis=0)"),
    Place("batchnorm", 3, "dgamma = (dout * x_hat).sum(axis=0)"),
    Place("batchnorm", 3, "dx_hat = dout * gamma"),
    Place("batchnorm", 5, "dx = inv_std"),
    Place("batchnorm", 5, "inv_std = 1 / ", "inv_std = 1.0 / np.sqrt(var + eps)"),
    Place("layernorm", 1, "mu = x.mean(axis=-1, keepdims=True)"),
    Place("layernorm", 2, "x_hat = ", "x_hat = (x - mu) * inv_std"),
    Place("layernorm", 2, "out = gamma * x_hat + beta"),
    Place("layernorm", 3, "axes = ", "leading = tuple(range(dout.ndim - 1))", "{code}\nleading = axes"),
    Place("layernorm", 3, "dbeta = ", "dbeta = dout.sum(axis=leading)", "axes = leading\n{code}"),
    Place("layernorm", 3, "dgamma = ", "dgamma = (dout * x_hat).sum(axis=leading)", "axes = leading\n{code}"),
    Place("layernorm", 4, "dx_hat = dout * gamma"),
    Place("layernorm", 4, "dx = inv_std", "dx = inv_std * (\n        dx_hat - dx_hat.mean(axis=-1, keepdims=True) - "
          "x_hat * (dx_hat * x_hat).mean(axis=-1, keepdims=True)\n    )"),
    # --- 3.2 convolutional networks
    Place("conv2d", 1, "xp = np.pad", "return np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))",
          "p = padding\n{code}\nreturn xp"),
    Place("conv2d", 2, "H_out = ", "H_out = conv_output_size(H, KH, stride, padding)", "p = padding\n{code}"),
    Place("conv2d", 3, "window = ", "window = xp[:, :, i * stride : i * stride + KH, j * stride : j * stride + KW]", "s = stride\n{code}"),
    Place("conv2d", 3, "out[:, :, i, j] = "),
    Place("conv2d", 4, "g = dout[:, :, i, j]"),
    Place("conv2d", 4, "dw += ", "dw += np.tensordot(g, xp[:, :, rows, cols], axes=([0], [0]))", "window = xp[:, :, rows, cols]\n{code}"),
    Place("conv2d", 4, "dxp[", "dxp[:, :, rows, cols] += np.tensordot(g, w, axes=([1], [0]))", "s = stride\n{code}"),
    Place("conv2d", 5, "db = dout.sum(axis=(0, 2, 3))"),
    Place("conv2d", 5, "dx = dxp", "dx = dxp[:, :, padding : padding + H, padding : padding + W]", "p = padding\n{code}"),
    Place("conv2d", 5, "dxp = np.zeros_like(xp)"),
    Place("conv2d", 5, "dw = np.zeros_like(w)"),
    Place("pooling", 1, "H_out = ", "H_out, W_out = _out_size(H, kernel, stride), _out_size(W, kernel, stride)",
          "{code}\nW_out = _out_size(W, kernel, stride)"),
    Place("pooling", 1, "x[:, :, i*s", "yield i, j, x[:, :, i * stride : i * stride + kernel, j * stride : j * stride + kernel]",
          "s = stride\nyield i, j, {code}"),
    Place("pooling", 2, "window.max", "flat.max(axis=2)"),
    Place("pooling", 2, "window.mean(axis=(2, 3))"),
    Place("pooling", 2, "x.mean(axis=(2, 3))"),
    Place("pooling", 2, "dtype=x.dtype", "out = np.empty((N, C, H_out, W_out), dtype=x.dtype)", "out = np.empty((N, C, H_out, W_out), {code})"),
    Place("pooling", 3, "flat.argmax(axis=2)"),
    Place("pooling", 4, "dx = np.zeros", "dx = np.zeros(shape, dtype=dout.dtype)", "x_shape = shape\n{code}"),
    Place("pooling", 4, "r, q = ", "r, s = np.divmod(argmax[:, :, i, j], kernel)", "{code}\ns = q"),
    Place("pooling", 4, "dx[n, c", "dx[n, c, i * stride + r, j * stride + s] += dout[:, :, i, j]", "q, s = s, stride\n{code}"),
    Place("pooling", 4, "np.meshgrid", 'n, c = np.meshgrid(np.arange(N), np.arange(C), indexing="ij")'),
    Place("resnet_block", 2, "nn.Conv2d(in_channels, out_channels, 3, stride=stride, padding=1, bias=False)"),
    Place("resnet_block", 3, "self.downsample = None"),
    Place("resnet_block", 3, "nn.Sequential(", "nn.Sequential(\n                nn.Conv2d(in_channels, out_channels, 1, stride=stride, "
          "bias=False),  # downsample.0\n                nn.BatchNorm2d(out_channels),  # downsample.1\n            )"),
    Place("resnet_block", 4, "identity = x if self.downsample is None else self.downsample(x)"),
    Place("resnet_block", 4, "out = F.relu(self.bn1(self.conv1(x)))"),
    Place("resnet_block", 4, "out = self.bn2(self.conv2(out))"),
    Place("resnet_block", 4, "return F.relu(out + identity)"),
    Place("spp", 1, "x[:, :, top:bottom, left:right].amax(dim=(-2, -1))"),
    Place("spp", 2, "start = ", SPP_BINS, "bins = []\nfor i in range(l):\n    {code}\n    bins.append((start, -(-(i + 1) * n // l)))\nreturn bins"),
    Place("spp", 2, "end = ", SPP_BINS, "bins = []\nfor i in range(l):\n    {code}\n    bins.append((i * n // l, end))\nreturn bins"),
    Place("spp", 2, "math.ceil", SPP_BINS, "import math\nreturn [(i * n // l, {code}) for i in range(l)]"),  # the stub has no math
    Place("spp", 3, "column_bins", SPP_GRID, "column_bins = _bins(W, l)\nrows = [{code} for top, bottom in _bins(H, l)]\n"
          "grid = torch.stack(rows, dim=-2)"),
    Place("spp", 3, "torch.stack(rows", SPP_GRID, f"rows = [{SPP_ROW} for top, bottom in _bins(H, l)]\ngrid = {{code}}"),
    Place("spp", 3, "grid.reshape(N, C * l * l)"),
    Place("spp", 4, "torch.cat(pooled, dim=1)"),
    Place("inception_block", 1, "self.conv = nn.Conv2d(in_channels, out_channels, bias=False, **conv_options)"),
    Place("inception_block", 1, "self.bn = nn.BatchNorm2d(out_channels, eps=0.001)"),
    Place("inception_block", 1, "F.relu(self.bn(self.conv(x)))"),
    Place("inception_block", 3, "nn.MaxPool2d(kernel_size=3, stride=1, padding=1, ceil_mode=True)"),
    Place("inception_block", 4, "self.branch2 = ", "self.branch2 = nn.Sequential(\n            BasicConv2d(in_channels, ch3x3red, "
          "kernel_size=1),\n            BasicConv2d(ch3x3red, ch3x3, kernel_size=3, padding=1),\n        )"),
    Place("inception_block", 4, "self.branch4 = ", "self.branch4 = nn.Sequential(\n            nn.MaxPool2d(kernel_size=3, stride=1, "
          "padding=1, ceil_mode=True),\n            BasicConv2d(in_channels, pool_proj, kernel_size=1),\n        )",
          "pool = nn.MaxPool2d(kernel_size=3, stride=1, padding=1, ceil_mode=True)\n{code}"),
    Place("inception_block", 5, "return torch.cat", "branches = [self.branch1(x), self.branch2(x), self.branch3(x), self.branch4(x)]  "
          "# each (N, C_i, H, W)\n        return torch.cat(branches, dim=1)"),
    # --- 3.3 recurrent networks
    Place("rnn", 1, "x @ W_ih.T + h @ W_hh.T"),
    Place("rnn", 2, "h = h0"),
    Place("rnn", 2, "h = rnn_cell", "for x_t in x:  # x is (T, B, I): one (B, I) step at a time\n        h = rnn_cell(x_t, h, W_ih, W_hh, b_ih, b_hh)",
          "for t in range(len(x)):\n    {code}"),
    Place("rnn", 2, "torch.stack(outputs), h"),
    Place("rnn", 3, "rnn_forward(x, h0[0], *params_fwd)"),
    Place("rnn", 3, "x.flip(0)"),
    Place("rnn", 4, ".flip(0)", "out_bwd = out_bwd.flip(0)", "out_bwd = out_bwd{code}"),
    Place("rnn", 4, "torch.cat([out_fwd, out_bwd], dim=-1)"),
    Place("lstm", 1, "gates = x @ W_ih.T + h @ W_hh.T"),
    Place("lstm", 2, "gates.chunk(4, dim=1)"),
    Place("lstm", 4, "c_next = f * c + i * g"),
    Place("lstm", 4, "h_next = o * torch.tanh(c_next)"),
    Place("lstm", 5, "h, c = h0, c0"),
    Place("lstm", 5, "torch.stack(outputs), (h, c)"),
    Place("gru", 1, "gi = x @ W_ih.T"),
    Place("gru", 1, "gh = h @ W_hh.T"),
    Place("gru", 2, ".chunk(3, dim=1)", "i_r, i_z, i_n = gi.chunk(3, dim=1)", "i_r, i_z, i_n = gi{code}"),
    Place("gru", 2, "i_r, i_z, i_n = ", "i_r, i_z, i_n = gi.chunk(3, dim=1)"),
    Place("gru", 2, "h_r, h_z, h_n = ", "h_r, h_z, h_n = gh.chunk(3, dim=1)"),
    Place("gru", 3, "r = torch.sigmoid(i_r + h_r)"),
    Place("gru", 3, "z = torch.sigmoid(i_z + h_z)"),
    Place("gru", 3, "n = torch.tanh(i_n + r * h_n)"),
    Place("gru", 4, "(1 - z) * n + z * h"),
    Place("gru", 4, "torch.stack(outputs), h"),
    # --- 3.4 attention and transformers
    Place("attention", 1, "K.transpose(-2, -1)"),
    Place("attention", 2, "d_k = ", "d_k = Q.size(-1)"),
    Place("attention", 3, "masked_fill", 'scores.masked_fill(mask == 0, float("-inf"))'),
    Place("attention", 4, "torch.ones(n, n, dtype=torch.bool, device=device).tril()"),
    Place("multihead", 1, "in_proj_weight.chunk(3)"),
    Place("multihead", 1, "q = query", "q = (query @ W_q.T + b_q).view(B, L, h, d).transpose(1, 2)", "{code}\nq = q.view(B, L, h, d).transpose(1, 2)"),
    Place("multihead", 2, "q.view", "q = (query @ W_q.T + b_q).view(B, L, h, d).transpose(1, 2)", "q = query @ W_q.T + b_q\nq = {code}"),
    Place("multihead", 2, "d = E // h", "h, d = num_heads, E // num_heads", "h = num_heads\n{code}"),
    Place("multihead", 2, "view(B, h, L, d)", "q = (query @ W_q.T + b_q).view(B, L, h, d).transpose(1, 2)",
          "q = query @ W_q.T + b_q\nq = q.{code}", instead="view(B, L, h, d).transpose(1, 2)"),
    Place("multihead", 3, "scores = q @ k.transpose(-2, -1) / math.sqrt(d)"),
    Place("multihead", 3, "mask.unsqueeze(1)"),
    Place("multihead", 3, "mask == 0"),
    Place("multihead", 4, "(weights @ v).transpose(1, 2).reshape(B, L, E)"),
    Place("multihead", 4, "@ out_proj_weight.T + out_proj_bias"),
    Place("multihead", 4, "weights.mean(dim=1)"),
    Place("positional_encoding", 1, "torch.arange(max_len, device=device)", "torch.arange(max_len, device=device, dtype=torch.float64)"),
    Place("positional_encoding", 1, "torch.arange(0, d_model, 2, device=device)", "torch.arange(0, d_model, 2, device=device, dtype=torch.float64)",
          "{code}.to(torch.float64)"),  # in float64, as hint 3 says: 2i/d would be float32
    Place("positional_encoding", 2, "pe[:, 0::2] = torch.sin(angle)"),
    Place("positional_encoding", 2, "pe[:, 1::2]", "pe[:, 1::2] = torch.cos(angle[:, : d_model // 2])",
          "angle = angle[:, : d_model // 2]\n{code}"),  # odd d_model: the same hint's slice
    Place("positional_encoding", 2, "angle[:, : d_model // 2]"),
    Place("positional_encoding", 3, ".to(dtype)", "return pe.to(dtype)", "return pe{code}"),
    Place("positional_encoding", 4, "pos = ", "pos = torch.arange(max_len, device=device, dtype=torch.float64).unsqueeze(1)"),
    Place("positional_encoding", 4, "angle = ", "angle = pos / 10000 ** (two_i / d_model)"),
    Place("positional_encoding", 4, "pe = torch.empty(max_len, d_model, device=device, dtype=torch.float64)"),
    Place("positional_encoding", 4, "return pe.to(dtype)"),
    Place("transformer_block", 1, "q = self.q_proj", "q = self.q_proj(query).view(B, L, h, d).transpose(1, 2)",
          "{code}\nq = q.view(B, L, h, d).transpose(1, 2)"),
    Place("transformer_block", 1, "k = self.k_proj", "k = self.k_proj(key).view(B, S, h, d).transpose(1, 2)",
          "{code}\nk = k.view(B, S, h, d).transpose(1, 2)"),
    Place("transformer_block", 1, "v = self.v_proj", "v = self.v_proj(value).view(B, S, h, d).transpose(1, 2)",
          "{code}\nv = v.view(B, S, h, d).transpose(1, 2)"),
    Place("transformer_block", 1, ".view(B, L, h, d).transpose(1, 2)"),
    Place("transformer_block", 1, "d = d_model // h", "h, d = self.num_heads, E // self.num_heads", "h, d_model = self.num_heads, E\n{code}"),
    Place("transformer_block", 2, "scores = q @ k.transpose(-2, -1) / math.sqrt(d)"),
    Place("transformer_block", 2, "mask.unsqueeze(1)"),
    Place("transformer_block", 2, "masked_fill", 'scores.masked_fill(mask == 0, float("-inf"))'),
    Place("transformer_block", 2, "(weights @ v)", "heads = (weights @ v).transpose(1, 2).reshape(B, L, E)", "d_model = E\nheads = {code}"),
    Place("transformer_block", 3, "sublayer(norm(x))", "h = self.norm1(x)\n        x = x + self.self_attn(h, h, h, mask)",
          "norm, sublayer = self.norm1, lambda h: self.self_attn(h, h, h, mask)\n{code}"),
    Place("transformer_block", 3, "h = self.norm1(x);", "h = self.norm1(x)\n        x = x + self.self_attn(h, h, h, mask)"),
    Place("transformer_block", 3, "x = x + self.linear2(F.relu(self.linear1(self.norm2(x))))"),
    Place("transformer_block", 4, "x = x + self.cross_attn(self.norm2(x), memory, memory, memory_mask)"),
    Place("efficient_attention", 1, "i = torch.arange", "positions = torch.arange(n, device=device)", "{code}\npositions = i"),
    Place("efficient_attention", 1, "(i[:, None]", "near = (positions.unsqueeze(-1) - positions).abs() <= window", "i = positions\nnear = {code}"),
    Place("efficient_attention", 1, "is_global = torch.zeros", ISIN, "{code}\nis_global[list(global_tokens)] = True"),
    Place("efficient_attention", 1, "is_global[list", ISIN, "is_global = torch.zeros(n, dtype=torch.bool, device=device)\n{code}"),
    Place("efficient_attention", 1, "band |", "return near | is_global.unsqueeze(-1) | is_global", "band = near\nreturn {code}"),
    Place("efficient_attention", 2, "phi_q = ", "phi_q, phi_k = _feature_map(Q), _feature_map(K)", "{code}\nphi_k = _feature_map(K)"),
    Place("efficient_attention", 2, "kv = phi_k.transpose(-2, -1) @ V"),
    Place("efficient_attention", 2, "z = phi_k.sum", "key_sum = phi_k.sum(dim=-2).unsqueeze(-1)", "{code}\nkey_sum = z.unsqueeze(-1)"),
    Place("efficient_attention", 2, "(phi_q * z", "normaliser = phi_q @ key_sum", "z = key_sum.squeeze(-1)\nnormaliser = {code}"),
    Place("efficient_attention", 2, "phi_q @ kv /", "return (phi_q @ kv) / (normaliser + eps)", "return {code}"),
    Place("efficient_attention", 3, "E @ K"),
    Place("efficient_attention", 3, "F @ V"),
    Place("efficient_attention", 3, "d_k = ", "scores = Q @ K_proj.transpose(-2, -1) / math.sqrt(Q.size(-1))",
          "{code}\nscores = Q @ K_proj.transpose(-2, -1) / math.sqrt(d_k)"),
    Place("efficient_attention", 4, "new_full", 'running_max = Q.new_full((*lead, L, 1), float("-inf"))',
          "shape = (*lead, L, 1)\nrunning_max = {code}"),
    Place("efficient_attention", 4, "new_zeros", "running_sum = Q.new_zeros((*lead, L, 1))", "shape = (*lead, L, 1)\nrunning_sum = {code}"),
    Place("efficient_attention", 4, "torch.broadcast_shapes(Q.shape[:-2], K.shape[:-2], V.shape[:-2])"),
    Place("efficient_attention", 4, "Kb = ", "K_block, V_block = K[..., start : start + block_size, :], V[..., start : start + block_size, :]",
          "{code}\nK_block, V_block = Kb, V[..., start : start + block_size, :]"),
    Place("efficient_attention", 4, "s = Q @ Kb", "scores = Q @ K_block.transpose(-2, -1) * scale", "Kb = K_block\n{code}\nscores = s"),
    Place("efficient_attention", 5, "m_new = ", "new_max = torch.maximum(running_max, scores.amax(dim=-1, keepdim=True))",
          "m, s = running_max, scores\n{code}\nnew_max = m_new"),
    Place("efficient_attention", 5, "c = torch.exp", "correction = torch.exp(running_max - new_max)", "m, m_new = running_max, new_max\n{code}\ncorrection = c"),
    Place("efficient_attention", 5, "p = torch.exp", "weights = torch.exp(scores - new_max)", "s, m_new = scores, new_max\n{code}\nweights = p"),
    Place("efficient_attention", 5, "l = c * l", "running_sum = correction * running_sum + weights.sum(dim=-1, keepdim=True)",
          "c, l, p = correction, running_sum, weights\n{code}\nrunning_sum = l"),
    Place("efficient_attention", 5, "o = c * o", "acc = correction * acc + weights @ V_block", "c, o, p, Vb = correction, acc, weights, V_block\n{code}\nacc = o"),
    Place("efficient_attention", 5, "m = m_new", "running_max = new_max", "m_new = new_max\n{code}\nrunning_max = m"),
    Place("efficient_attention", 5, "o / l", "return acc / running_sum", "o, l = acc, running_sum\nreturn {code}"),
    Place("efficient_attention", 5, "s = s.masked_fill", 'scores = scores.masked_fill(cols > rows, float("-inf"))', "s = scores\n{code}\nscores = s"),
    Place("efficient_attention", 5, "rows = ", "rows = torch.arange(L, device=Q.device).unsqueeze(-1)"),
    Place("efficient_attention", 5, "cols = ", "cols = torch.arange(start, start + K_block.size(-2), device=Q.device)", "Kb = K_block\n{code}"),
    Place("vit_patches", 1, "h = H // P", VIT_GRID, "{code}\ngrid = images.reshape(B, C, h, P, W // P, P)"),
    Place("vit_patches", 1, "w = W // P", VIT_GRID, "{code}\ngrid = images.reshape(B, C, H // P, P, w, P)"),
    Place("vit_patches", 1, "H % P == 0", "if H % P or W % P:", "if not ({code}):"),
    Place("vit_patches", 2, "images.reshape", VIT_GRID, "h, w = H // P, W // P\ngrid = {code}"),
    Place("vit_patches", 3, ".permute(0, 2, 4", "patches = grid.permute(0, 2, 4, 1, 3, 5)", "patches = grid{code}"),
    Place("vit_patches", 3, ".reshape(B, h * w", "return patches.reshape(B, (H // P) * (W // P), C * P * P)", "h, w = H // P, W // P\nreturn patches{code}"),
    Place("vit_patches", 3, "images.unfold", "patches = grid.permute(0, 2, 4, 1, 3, 5)", "patches = {code}.permute(0, 2, 3, 1, 4, 5)"),
    Place("vit_patches", 3, ".permute(0, 2, 3", "patches = grid.permute(0, 2, 4, 1, 3, 5)", "patches = images.unfold(2, P, P).unfold(3, P, P){code}"),
    Place("vit_patches", 4, "tokens = ", "tokens = patches @ weight.reshape(D, -1).T + bias", "P = patch_size\n{code}"),
    Place("vit_patches", 5, "torch.cat(", "return torch.cat([cls, tokens], dim=1) + pos_embed", "B = images.size(0)\nreturn {code} + pos_embed"),
    Place("mlm_masking", 1, "torch.rand(", "torch.rand(shape, generator=generator, device=device) < p", "{code} < p"),
    Place("mlm_masking", 1, "torch.randint", "torch.randint(vocab_size, shape, generator=generator, device=device)"),
    Place("mlm_masking", 2, "selected = ", "selected = (torch.rand(shape, generator=generator, device=device) < p) & ~special_mask",
          "u = torch.rand(shape, generator=generator, device=device)\n{code}"),
    Place("mlm_masking", 2, "labels = tokens.masked_fill(~selected, -100)"),
    Place("mlm_masking", 3, "to_mask = ", "to_mask = selected & (action < 0.8)", "v = action\n{code}"),
    Place("mlm_masking", 3, "to_random = ", "to_random = selected & (action >= 0.8) & (action < 0.9)", "v = action\n{code}"),
    Place("mlm_masking", 5, "inputs = tokens.masked_fill(to_mask, mask_token_id)"),
    Place("mlm_masking", 5, "inputs = torch.where(to_random, random_tokens, inputs)"),
    Place("mlm_masking", 5, "return inputs, labels"),
    Place("decoding", 1, "logits.masked_fill(remove", 'return logits.masked_fill(logits < kth, float("-inf"))', "remove = logits < kth\nreturn {code}"),
    Place("decoding", 1, "logits[remove]", 'return logits.masked_fill(logits < kth, float("-inf"))', "remove = logits < kth\n{code}\nreturn logits",
          instead="logits = logits.masked_fill(remove, float('-inf'))"),
    Place("decoding", 2, "kth = logits.topk(k, dim=-1).values[..., -1:]"),
    Place("decoding", 2, "logits < kth"),
    Place("decoding", 3, "sorted_logits, order = logits.sort(dim=-1, descending=True)"),
    Place("decoding", 3, "cumulative = sorted_logits.softmax(dim=-1).cumsum(dim=-1)"),
    Place("decoding", 3, "remove_sorted = ", "reached_before = cumulative[..., :-1] >= p  # (B, V - 1)\n    drop_sorted = "
          "torch.cat([torch.zeros_like(reached_before[..., :1]), reached_before], dim=-1)", "{code}\ndrop_sorted = remove_sorted"),
    Place("decoding", 4, "scatter", "drop = drop_sorted.scatter(-1, order, drop_sorted)", "remove_sorted = drop_sorted\n{code}\ndrop = remove"),
    Place("decoding", 4, "logits.masked_fill", 'return logits.masked_fill(drop, float("-inf"))', "remove = drop\nreturn {code}"),
    Place("decoding", 5, "logits = logits / temperature"),
    Place("decoding", 5, "torch.multinomial", "probs = torch.softmax(logits, dim=-1)  # (B, V), exactly 0 on filtered tokens\n    "
          "return torch.multinomial(probs, 1, generator=generator).squeeze(-1)", "return {code}"),
    Place("decoding", 6, "finished = torch.zeros(prompt.shape[0], dtype=torch.bool, device=prompt.device)"),
    Place("decoding", 6, "next_ids = step_fn(ids).argmax(dim=-1)"),
    Place("decoding", 6, "next_ids = next_ids.masked_fill(finished, eos_id)"),
    Place("decoding", 6, "finished = finished | (next_ids == eos_id)"),
    Place("decoding", 6, "ids = torch.cat", "ids = torch.cat([ids, next_ids[:, None]], dim=-1)"),
    # --- 3.5 training deep networks
    Place("optimizers", 1, "self.params = list(params)", "self.params = list(params)  #", "{code}  #"),
    Place("optimizers", 1, "torch.zeros_like(p)", "self.sums = [torch.zeros_like(p) for p in self.params]", "self.sums = [{code} for p in self.params]"),
    Place("optimizers", 2, "p = p - lr * g", "p.sub_(self.lr * g)", "lr = self.lr\n{code}", instead="p.sub_(lr * g)"),
    Place("optimizers", 3, "g = p.grad", "g = p.grad + self.weight_decay * p", "weight_decay = self.weight_decay\n{code}"),
    Place("optimizers", 3, "v.mul_", "self.buffers[i].mul_(self.momentum).add_(g)", "v, momentum = self.buffers[i], self.momentum\n{code}"),
    Place("optimizers", 3, "p.sub_(lr * v)", "p.sub_(self.lr * g)", "lr = self.lr\n{code} if self.momentum != 0 and not self.nesterov else p.sub_(lr * g)"),
    Place("optimizers", 4, "g + momentum * v", "g = g + self.momentum * v if self.nesterov else v", "momentum = self.momentum\ng = {code} if self.nesterov else v"),
    Place("optimizers", 5, "G.addcmul_(g, g)"),
    Place("optimizers", 5, "G.sqrt()", "p.sub_(self.lr * g / (G.sqrt() + self.eps))", "lr, eps = self.lr, self.eps\n{code}"),
    Place("optimizers", 5, "s.mul_", "s.mul_(self.alpha).addcmul_(g, g, value=1 - self.alpha)", "alpha = self.alpha\n{code}"),
    Place("optimizers", 5, "s.sqrt()", "p.sub_(self.lr * g / (s.sqrt() + self.eps))", "lr, eps = self.lr, self.eps\n{code}"),
    Place("adam", 1, "self.params = list(params)"),
    Place("adam", 1, "torch.zeros_like(p)", '"m": torch.zeros_like(p)', '"m": {code}'),
    Place("adam", 3, "beta1, beta2 = betas", "beta1, beta2 = self.betas", "betas = self.betas\n{code}"),
    Place("adam", 3, "m.mul_(beta1).add_(g, alpha=1 - beta1)"),
    Place("adam", 3, "v.mul_(beta2).addcmul_(g, g, value=1 - beta2)"),
    Place("adam", 3, "m_hat = m / (1 - beta1**t)"),
    Place("adam", 3, "v_hat = v / (1 - beta2**t)"),
    Place("adam", 3, "p.sub_", "p.sub_(self.lr * m_hat / (v_hat.sqrt() + self.eps))", "lr, eps = self.lr, self.eps\n{code}"),
    Place("adam", 4, "g = p.grad + weight_decay * p", "return grad + self.weight_decay * p", "weight_decay = self.weight_decay\n{code}\nreturn g"),
    Place("adam", 4, "p.mul_", "p.mul_(1 - self.lr * self.weight_decay)", "lr, weight_decay = self.lr, self.weight_decay\n{code}"),
    Place("adam", 4, "g = p.grad", "return grad\n", "{code}\nreturn g\n"),
    Place("lr_schedules", 2, "epoch // step_size"),
    Place("lr_schedules", 2, "lr_min + (lr_max - lr_min) * (1 + math.cos(math.pi * t / T)) / 2"),
    Place("lr_schedules", 3, "if t < warmup_steps", "if t < warmup_steps:\n        return lr_max * t / warmup_steps"),
    Place("lr_schedules", 4, "initial_lr = max_lr / div_factor"),
    Place("lr_schedules", 4, "min_lr = initial_lr / final_div_factor"),
    Place("lr_schedules", 4, "peak = pct_start * total_steps - 1"),
    Place("lr_schedules", 4, "last = total_steps - 1"),
    Place("lr_schedules", 5, "def cos_anneal", 'def _cosine(start, end, pct):\n    """From `start` at pct = 0 to `end` at pct = 1, along half a '
          'cosine."""\n    return end + (start - end) / 2 * (math.cos(math.pi * pct) + 1)', "{code}\n_cosine = cos_anneal"),
    Place("lr_schedules", 5, "if t <= peak", "if t <= peak:\n        return _cosine(initial_lr, max_lr, t / peak)", "cos_anneal = _cosine\n{code}"),
    Place("lr_schedules", 5, "return cos_anneal(max_lr", "return _cosine(max_lr, min_lr, (t - peak) / (last - peak))", "cos_anneal = _cosine\n{code}"),
    Place("grad_clipping", 1, "[params]"),
    Place("grad_clipping", 1, "list(params)"),
    Place("grad_clipping", 1, "grads = ", "grads = [p.grad for p in _parameters(params) if p.grad is not None]", "params = _parameters(params)\n{code}"),
    Place("grad_clipping", 2, "g.clamp_", "p.grad.clamp_(-clip_value, clip_value)", "g = p.grad\n{code}"),
    Place("grad_clipping", 3, "torch.linalg.vector_norm(g, norm_type)"),
    Place("grad_clipping", 4, "max_norm / (total_norm + 1e-6)"),
    Place("grad_clipping", 4, ".clamp(max=1.0)"),
    Place("grad_clipping", 4, "g.mul_(coef)"),
    Place("grad_clipping", 4, "if total_norm > max_norm", "for g in grads:\n        g.mul_(coef)", "{code}:\n    for g in grads:\n        g.mul_(coef)",
          instead="if True"),  # the same loop, unconditional
    # --- 3.6 losses
    Place("classification_losses", 2, "log_p = torch.log(p).clamp(min=-100)"),
    Place("classification_losses", 2, "log_1mp = torch.log1p(-p).clamp(min=-100)"),
    Place("classification_losses", 2, "-(y * log_p + (1 - y) * log_1mp).mean()"),
    Place("classification_losses", 3, "F.logsigmoid(x)"),
    Place("classification_losses", 3, "((1 - y) * x", "return _bce_with_logits(logits, y).mean()", "x = logits\nreturn {code}"),
    Place("classification_losses", 4, "m = logits.max(dim=1, keepdim=True).values"),
    Place("classification_losses", 4, "gather", "log_probs.gather(1, target.unsqueeze(1))"),
    Place("classification_losses", 5, "p = torch.sigmoid(logits)"),
    Place("classification_losses", 5, "ce = ", "ce = _bce_with_logits(logits, y)"),
    Place("classification_losses", 5, "p_t = p * y + (1 - p) * (1 - y)"),
    Place("classification_losses", 5, "loss = ce * (1 - p_t) ** gamma"),
    Place("classification_losses", 5, "alpha * y + (1 - alpha) * (1 - y)"),
    Place("regression_losses", 1, ".sum()", "((pred - target) ** 2).mean()", "((pred - target) ** 2){code}", instead=".mean()"),
    Place("regression_losses", 2, "(pred - target).abs().mean()"),
    Place("regression_losses", 2, "sqrt(d ** 2)", "return (pred - target).abs().mean()", "sqrt, d = torch.sqrt, pred - target\nreturn {code}.mean()",
          instead="d.abs()"),
    Place("regression_losses", 4, "a = ", "d = (pred - target).abs()", "{code}\nd = a"),
    Place("regression_losses", 4, "return torch.where", "return torch.where(d < delta, quadratic, linear).mean()", "a = d\n{code}"),
    Place("metric_losses", 2, "(anchor - positive", "(anchor - positive + eps).norm(dim=-1)"),
    Place("metric_losses", 2, "(d_ap - d_an + margin).clamp(min=0).mean()"),
    Place("metric_losses", 3, "z = F.normalize", "z = torch.cat([z_i, z_j], dim=0)  # (2N, D): view 1 of each example, then view 2\n"
          "    z = z / z.norm(dim=1, keepdim=True)"),
    Place("metric_losses", 3, "s = z @ z.T", "sim = z @ z.T / temperature", "{code}\nsim = s"),
    Place("metric_losses", 3, "s.masked_fill", 'sim = sim.masked_fill(self_mask, float("-inf"))', "s, N = sim, n\nsim = {code}"),
    Place("metric_losses", 4, ".roll(N)", "positive = torch.arange(2 * n, device=z.device).roll(n)", "s, N = sim, n\npositive = {code}"),
    Place("metric_losses", 4, "F.cross_entropy", "log_prob = sim.gather(1, positive[:, None])[:, 0] - torch.logsumexp(sim, dim=1)  # (2N,)\n"
          "    return -log_prob.mean()", "s, that = sim, positive\nreturn {code}"),
]


@pytest.mark.parametrize("place", [place for place in PLACES if place.instead is None], ids=str)
def test_a_hints_code_in_the_reference_passes_the_kata(place):
    source = placed(place, snippet(place))
    report = grade(place.kata, source)
    assert report.passed, f"hint {place.hint} of {place.kata}, in the reference, fails:\n{failures(report)}"
    assert not forbidden.scan(ast.parse(stub_imports(place.kata) + "\n" + source), CATALOG.get(place.kata).forbidden)


@pytest.fixture(scope="module")
def learner_grader():
    with Grader(warm="torch") as grader:
        yield grader


@pytest.mark.parametrize("place", [place for place in PLACES if place.instead is None and CREATES_A_TENSOR.search(place.code)], ids=str)
def test_a_hints_code_that_creates_a_tensor_passes_in_the_learners_process(place, learner_grader, tmp_path):
    kata = CATALOG.get(place.kata)
    file = tmp_path / f"{kata.id}.py"
    file.write_text(stub_imports(kata.id) + "\n" + placed(place, snippet(place)), encoding="utf-8")
    report = learner_grader.grade(kata, file, ["cpu"])
    assert report.passed, f"hint {place.hint} of {place.kata}, in the reference, fails as a learner's file:\n{failures(report)}"


@pytest.mark.parametrize("place", [place for place in PLACES if place.instead is not None], ids=str)
def test_code_a_hint_warns_against_fails_the_kata_where_its_advice_passes(place):
    advice = grade(place.kata, placed(place, place.instead))
    assert advice.passed, f"the code hint {place.hint} of {place.kata} recommends fails in this place:\n{failures(advice)}"
    assert not grade(place.kata, placed(place, snippet(place))).passed, f"hint {place.hint} of {place.kata} warns against code that passes"


@pytest.mark.parametrize("kata_id", CATALOG.ids())
def test_every_snippet_of_a_hint_that_is_code_has_a_place(kata_id):
    placed_snippets = {(place.hint, snippet(place)) for place in PLACES if place.kata == kata_id}
    unplaced = [
        (hint, code)
        for hint in range(1, len(CATALOG.get(kata_id).hints) + 1)
        for code in snippets(kata_id, hint)
        if not MENTION.fullmatch(code) and (hint, code) not in placed_snippets
    ]
    assert not unplaced, f"{kata_id}: code in hints that no test runs (give each a Place): {unplaced}"


@pytest.mark.parametrize("kata_id", CATALOG.ids())
def test_code_in_a_hint_is_written_in_backticks(kata_id):
    for number, hint in enumerate(CATALOG.get(kata_id).hints, 1):
        prose = re.sub(r"`[^`]+`", "``", hint)
        assert not CODE_IN_PROSE.search(prose), f"{kata_id}, hint {number}: put its code in backticks, where it is run: {prose}"


def test_a_mention_is_a_name_and_anything_that_computes_is_code():
    """What `MENTION` exempts decides what the test above may leave unrun: it must stay narrow."""
    for mention in ("torch.tanh", ".mean()", "step()", "@torch.no_grad()", "super().__init__()", "x[t]", "+=", "self.out_proj(...)"):
        assert MENTION.fullmatch(mention), mention
    for code in ("x.flip(0)", "[params]", "mask == 0", "dtype=x.dtype", "g.clamp_(-c, c)", "torch.stack(outputs), h"):
        assert not MENTION.fullmatch(code), code
