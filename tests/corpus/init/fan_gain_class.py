"""A class-based initialiser as torch.nn.init reasons: std = gain · √(2/(fan_in + fan_out)) or gain / √fan_in."""

import math


class NormalInit:
    def __init__(self, mode, gain):
        self.mode, self.gain = mode, gain

    def std(self, fan_in, fan_out):
        if self.mode == "fan_avg":
            return self.gain * math.sqrt(2.0 / (fan_in + fan_out))
        return self.gain / math.sqrt(fan_in)

    def __call__(self, n_in, n_out, rng):
        return rng.normal(0.0, self.std(n_in, n_out), (n_out, n_in))


XAVIER = NormalInit("fan_avg", gain=1.0)
HE = NormalInit("fan_in", gain=math.sqrt(2.0))  # ReLU's gain


def xavier_normal(n_in, n_out, rng):
    return XAVIER(n_in, n_out, rng)


def he_normal(n_in, n_out, rng):
    return HE(n_in, n_out, rng)
