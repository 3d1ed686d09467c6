"""Kata `conv2d`: a 2-D convolution layer, forward and backward, in NumPy.

No torch and no scipy.signal: every sum is yours. Grade with `dlprep grade conv2d`.
"""

import numpy as np


def conv_output_size(n, kernel, stride=1, padding=0):
    """How many positions a kernel takes along one axis of length n.

        out = ⌊(n + 2·padding − kernel) / stride⌋ + 1

    The guide writes (in + 2×padding − kernel) / stride + 1; when the stride does not divide
    n + 2·padding − kernel, the last window would hang past the padded edge and is dropped
    (F.conv2d's rule): round down.

    Args:
        n: input size along the axis (H or W), an int.
        kernel: kernel size along the same axis (KH or KW).
        stride, padding: ints; padding adds that many zeros on each side.

    Returns:
        An int.
    """
    raise NotImplementedError


def conv2d_forward(x, w, b, stride=1, padding=0):
    """2-D cross-correlation, as F.conv2d (deep learning's "convolution": no kernel flip).

        out[n, f, i, j] = b[f] + Σ_c Σ_m Σ_k  x_pad[n, c, i·s + m, j·s + k] · w[f, c, m, k]

    where x_pad is x with `padding` zeros added on all four sides of each image.

    Args:
        x: (N, C, H, W) input.
        w: (F, C, KH, KW) filters; KH and KW may differ.
        b: (F,) one bias per filter.
        stride, padding: ints, the same for both spatial axes.

    Returns:
        out: (N, F, H_out, W_out), H_out = conv_output_size(H, KH, stride, padding) and
        W_out = conv_output_size(W, KW, stride, padding); the dtype of x (float64 or float32).
        Do not modify x, w or b.
    """
    raise NotImplementedError


def conv2d_backward(dout, x, w, b, stride=1, padding=0):
    """Gradients of a loss L with respect to x, w and b, given dout = ∂L/∂out.

    Each output out[n, f, i, j] read one window of x_pad (rows i·s … i·s + KH − 1, columns
    j·s … j·s + KW − 1) and the whole filter w[f]:
        ∂L/∂w[f]       += dout[n, f, i, j] · window            summed over n, i, j
        ∂L/∂window     += dout[n, f, i, j] · w[f]              summed over f; windows may overlap
        ∂L/∂b[f]        = Σ_n Σ_i Σ_j dout[n, f, i, j]
    and dx is the gradient of x_pad with the padding cut off.

    Args:
        dout: (N, F, H_out, W_out) upstream gradient.
        x, w, b, stride, padding: as given to conv2d_forward.

    Returns:
        (dx, dw, db) shaped like (x, w, b), in their dtype. Do not modify any argument.
    """
    raise NotImplementedError
