"""Mistakes interviewers see when writing a convolution by hand."""

import math

import numpy as np

from dlprep.grading.spec import mistake
from dlprep.solutions import conv2d as ref

# The reference's own forward and backward, bound to its correct conv_output_size: a mistake that
# replaces only conv_output_size must not break the other two functions of the same module.
_forward, _backward = ref.conv2d_forward, ref.conv2d_backward


def _conv_forward(*, flip=False, pad=lambda padding: ((padding, padding), (padding, padding))):
    """The reference forward, with the kernel flipped or the padding put on some sides only."""

    def conv2d_forward(x, w, b, stride=1, padding=0):
        if flip:
            w = w[:, :, ::-1, ::-1]  # true convolution: rotate the kernel by 180°
        (top, bottom), (left, right) = pad(padding)
        xp = np.pad(x, ((0, 0), (0, 0), (top, bottom), (left, right)))
        F, _, KH, KW = w.shape
        H_out = (xp.shape[2] - KH) // stride + 1  # sizes from the padded input, as a learner would
        W_out = (xp.shape[3] - KW) // stride + 1
        out = np.empty((x.shape[0], F, H_out, W_out), dtype=x.dtype)
        for i in range(H_out):
            for j in range(W_out):
                window = xp[:, :, i * stride : i * stride + KH, j * stride : j * stride + KW]
                out[:, :, i, j] = np.tensordot(window, w, axes=([1, 2, 3], [1, 2, 3])) + b
        return out

    return conv2d_forward


def _conv_backward(*, dx_stride=True, crop=True, db=lambda dout: dout.sum(axis=(0, 2, 3))):
    """The reference backward, with the stride ignored when scattering dx, the padding kept, or db wrong."""

    def conv2d_backward(dout, x, w, b, stride=1, padding=0):
        _, _, H, W = x.shape
        _, _, KH, KW = w.shape
        _, _, H_out, W_out = dout.shape
        xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
        dxp, dw = np.zeros_like(xp), np.zeros_like(w)
        for i in range(H_out):
            for j in range(W_out):
                g = dout[:, :, i, j]
                window = (slice(None), slice(None), slice(i * stride, i * stride + KH), slice(j * stride, j * stride + KW))
                dw += np.tensordot(g, xp[window], axes=([0], [0]))
                if not dx_stride:
                    window = (slice(None), slice(None), slice(i, i + KH), slice(j, j + KW))
                dxp[window] += np.tensordot(g, w, axes=([1], [0]))
        dx = dxp[:, :, padding : padding + H, padding : padding + W] if crop else dxp
        return dx, dw, db(dout)

    return conv2d_backward


def _size(rounding):
    def conv_output_size(n, kernel, stride=1, padding=0):
        return rounding((n + 2 * padding - kernel) / stride) + 1

    return conv_output_size


def _size_mistake(mistake_id, explanation, rounding):
    return mistake(
        mistake_id, explanation, conv_output_size=_size(rounding), conv2d_forward=_forward, conv2d_backward=_backward
    )


MISTAKES = [
    mistake(
        "true-convolution",
        "The kernel is flipped (rotated by 180°) before sliding it: that is convolution as mathematicians "
        "define it. Deep-learning 'convolution' — F.conv2d, and the guide's Output[i, j] = Σₘ Σₙ "
        "Input[i+m, j+n] × Kernel[m, n] — is cross-correlation: the kernel is used as it is.",
        conv2d_forward=_conv_forward(flip=True),
    ),
    _size_mistake(
        "output-size-no-floor",
        "The output size is computed with true division, (n + 2p − k) / s + 1, which gives a float such as "
        "3.5 when the stride does not divide n + 2p − k. Only whole windows count: "
        "⌊(n + 2p − k) / s⌋ + 1, with integer division `//`, and return an int.",
        lambda v: v,
    ),
    _size_mistake(
        "ceil-output-size",
        "The output size rounds up, ⌈(n + 2p − k) / s⌉ + 1: that counts a last window that hangs past the "
        "padded edge. F.conv2d drops it: ⌊(n + 2p − k) / s⌋ + 1 (the guide's formula with floor division).",
        math.ceil,
    ),
    mistake(
        "padding-once",
        "The zero padding is added on one side only (top and left). `padding=p` puts p zeros on every side, "
        "so the padded input is (H + 2p) × (W + 2p) — hence the 2×padding in the guide's output size.",
        conv2d_forward=_conv_forward(pad=lambda padding: ((padding, 0), (padding, 0))),
    ),
    mistake(
        "db-not-summed-over-batch",
        "db keeps the batch axis, shape (N, F). Every output position of every sample adds b[f], so "
        "∂L/∂b[f] = Σ over n, i, j of dout[n, f, i, j]: sum over the batch too (axes 0, 2, 3), shape (F,).",
        conv2d_backward=_conv_backward(db=lambda dout: dout.sum(axis=(2, 3))),
    ),
    mistake(
        "dx-ignores-stride",
        "dx scatters the gradient of output (i, j) back to the window at (i, j) instead of (i·s, j·s). "
        "Output (i, j) read input rows i·s … i·s + KH − 1 (and columns likewise), so that is where its "
        "gradient goes; dw must use the same strided windows, and so must dx.",
        conv2d_backward=_conv_backward(dx_stride=False),
    ),
    mistake(
        "dx-keeps-padding",
        "dx is returned with the padding, shape (N, C, H + 2p, W + 2p). The zeros were added by the "
        "forward, not given as input: crop dx_padded[:, :, p:p + H, p:p + W] to x's shape.",
        conv2d_backward=_conv_backward(crop=False),
    ),
]
