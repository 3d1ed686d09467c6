"""Kata `pooling`: max, average and global average pooling, and max pooling's backward pass, in NumPy.

No torch. Grade with `dlprep grade pooling`.
"""

import numpy as np


def max_pool2d_forward(x, kernel, stride):
    """Max pooling over kernel × kernel windows, `stride` apart, no padding (as F.max_pool2d).

        out[n, c, i, j] = max over 0 ≤ m, k < kernel of x[n, c, i·stride + m, j·stride + k]

    with H_out = ⌊(H − kernel) / stride⌋ + 1 and W_out likewise: a partial last window is dropped.

    Args:
        x: (N, C, H, W).
        kernel, stride: ints, the same for both spatial axes; stride may be smaller than kernel
            (windows overlap) or larger (some entries are in no window).

    Returns:
        (out, cache): out (N, C, H_out, W_out) in x's dtype; cache is anything you like —
        max_pool2d_backward receives it back. Do not modify x.
    """
    raise NotImplementedError


def max_pool2d_backward(dout, cache):
    """Gradient of a loss with respect to x, given dout = ∂L/∂out and the forward's cache.

    Only the maximum of each window reached the output, so only it gets that window's gradient:
        dx[n, c, i·stride + r, j·stride + s] += dout[n, c, i, j]
    where (r, s) is the position of the window's maximum. On ties, the FIRST maximum in
    row-major order (np.argmax over the flattened window), as PyTorch. Windows may overlap:
    an entry that is the maximum of several windows gets the sum of their gradients.

    Args:
        dout: (N, C, H_out, W_out).
        cache: what max_pool2d_forward returned with out.

    Returns:
        dx: shaped like x, in dout's dtype; zero where no window took its maximum. Do not modify dout.
    """
    raise NotImplementedError


def avg_pool2d(x, kernel, stride):
    """Average pooling: the mean of each kernel × kernel window (as F.avg_pool2d, no padding).

        out[n, c, i, j] = (1 / kernel²) Σ_m Σ_k x[n, c, i·stride + m, j·stride + k]

    Args:
        x: (N, C, H, W); kernel, stride: ints.

    Returns:
        out: (N, C, H_out, W_out), sizes as in max_pool2d_forward, in x's dtype. Do not modify x.
    """
    raise NotImplementedError


def global_avg_pool(x):
    """Global average pooling: the mean of each channel over the whole image.

        out[n, c] = (1 / (H·W)) Σ_h Σ_w x[n, c, h, w]

    Args:
        x: (N, C, H, W).

    Returns:
        out: (N, C) — not (N, C, 1, 1) — in x's dtype. Do not modify x.
    """
    raise NotImplementedError
