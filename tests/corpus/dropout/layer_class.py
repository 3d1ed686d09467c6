"""An InvertedDropout layer object (train flag, rng.uniform draw, its own mask); the kata's functions wrap it."""

import numpy as np


class InvertedDropout:
    def __init__(self, p):
        if not 0 <= p < 1:
            raise ValueError(f"dropout probability {p} is outside [0, 1)")
        self.p = p

    def forward(self, x, training, rng):
        if training and self.p:
            scale = 1.0 / (1.0 - self.p)
            self.mask = (rng.uniform(0.0, 1.0, size=x.shape) >= self.p).astype(x.dtype)
            self.mask *= x.dtype.type(scale)
        else:
            self.mask = np.ones(x.shape, dtype=x.dtype)
        return x * self.mask

    @staticmethod
    def backward(dout, mask):
        return dout * mask


def dropout_forward(x, p, training, rng):
    layer = InvertedDropout(p)
    out = layer.forward(x, training, rng)
    return out, layer.mask


def dropout_backward(dout, mask):
    return InvertedDropout.backward(dout, mask)
