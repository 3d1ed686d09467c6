"""Kata `positional_encoding`: the sinusoidal positional encoding of the original transformer.

Grade with `dlprep grade positional_encoding`.
"""

import math

import torch


def sinusoidal_encoding(max_len, d_model, device=None, dtype=torch.float32):
    """The (max_len, d_model) table of sinusoidal positional encodings (guide, section 3.4):

        PE(pos, 2i)   = sin(pos / 10000^(2i/d))
        PE(pos, 2i+1) = cos(pos / 10000^(2i/d))

    for positions pos = 0, 1, ..., max_len - 1 and d = d_model. Column 2i and column
    2i+1 share one angle: sines in the even columns, cosines in the odd ones. When
    d_model is odd the last column is a sine (there is one more sine than cosine).

    Args:
        max_len: number of positions (rows), >= 1.
        d_model: number of features (columns), >= 1; may be odd.
        device: where to create the table (None: PyTorch's default device).
        dtype: the floating dtype of the result. Values must be accurate to that
            dtype even at positions near 10 000 (compute the angles in float64).

    Returns:
        A (max_len, d_model) tensor of `dtype` on `device`.
    """
    raise NotImplementedError
