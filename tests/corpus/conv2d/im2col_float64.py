"""im2col in float64: every window a row, one matrix product; col2im with np.add.at; math.floor sizes."""

import math

import numpy as np


def conv_output_size(n, kernel, stride=1, padding=0):
    return int(math.floor((n + 2 * padding - kernel) / stride)) + 1


def _indices(H, W, KH, KW, stride, padding):
    """Row and column indices into the padded image for every (window, kernel offset): (H_out·W_out, KH·KW)."""
    H_out = conv_output_size(H, KH, stride, padding)
    W_out = conv_output_size(W, KW, stride, padding)
    top = stride * np.repeat(np.arange(H_out), W_out)[:, None]  # (P, 1)
    left = stride * np.tile(np.arange(W_out), H_out)[:, None]
    rows = top + np.repeat(np.arange(KH), KW)[None, :]  # (P, KH·KW)
    cols = left + np.tile(np.arange(KW), KH)[None, :]
    return rows, cols, H_out, W_out


def _padded(x, padding):
    x = np.asarray(x, dtype=np.float64)
    return np.pad(x, [(0, 0), (0, 0), (padding, padding), (padding, padding)], mode="constant")


def _columns(x, KH, KW, stride, padding):
    xp = _padded(x, padding)
    rows, cols, H_out, W_out = _indices(x.shape[2], x.shape[3], KH, KW, stride, padding)
    return xp[:, :, rows, cols], H_out, W_out  # (N, C, P, KH·KW)


def conv2d_forward(x, w, b, stride=1, padding=0):
    N, C = x.shape[:2]
    F, _, KH, KW = w.shape
    cols, H_out, W_out = _columns(x, KH, KW, stride, padding)
    cols = cols.transpose(0, 2, 1, 3).reshape(N, H_out * W_out, C * KH * KW)  # (N, P, C·KH·KW)
    kernels = np.asarray(w, dtype=np.float64).reshape(F, -1)  # (F, C·KH·KW)
    out = cols @ kernels.T + np.asarray(b, dtype=np.float64)  # (N, P, F)
    return out.transpose(0, 2, 1).reshape(N, F, H_out, W_out)


def conv2d_backward(dout, x, w, b, stride=1, padding=0):
    N, C, H, W = x.shape
    F, _, KH, KW = w.shape
    cols, H_out, W_out = _columns(x, KH, KW, stride, padding)
    cols = cols.transpose(0, 2, 1, 3).reshape(N, H_out * W_out, C * KH * KW)
    grad = np.asarray(dout, dtype=np.float64).reshape(N, F, H_out * W_out)  # (N, F, P)
    dw = np.einsum("nfp,npk->fk", grad, cols).reshape(w.shape)
    db = grad.sum(axis=(0, 2))
    dcols = np.einsum("nfp,fk->npk", grad, np.asarray(w, dtype=np.float64).reshape(F, -1))
    dcols = dcols.reshape(N, H_out * W_out, C, KH * KW).transpose(0, 2, 1, 3)  # (N, C, P, KH·KW)
    rows, cols_index, _, _ = _indices(H, W, KH, KW, stride, padding)
    dxp = np.zeros((N, C, H + 2 * padding, W + 2 * padding))
    np.add.at(dxp, (slice(None), slice(None), rows, cols_index), dcols)
    return dxp[:, :, padding : padding + H, padding : padding + W], dw, db
