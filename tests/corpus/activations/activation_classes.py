"""One class per activation (forward, derivative), sigmoid via np.logaddexp; module functions delegate."""

import math

import numpy as np


class Sigmoid:
    def forward(self, z):
        # σ(z) = exp(−log(1 + e⁻ᶻ)); logaddexp(0, −z) never overflows
        return np.exp(-np.logaddexp(0.0, -z))

    def derivative(self, z):
        s = self.forward(z)
        return s - s * s


class Tanh:
    def forward(self, z):
        return np.tanh(z)

    def derivative(self, z):
        return 1.0 - np.square(np.tanh(z))


class LeakyReLU:
    """alpha = 0 is the plain ReLU."""

    def __init__(self, alpha):
        self.alpha = alpha

    def forward(self, z):
        return np.where(z > 0, z, self.alpha * z)

    def derivative(self, z):
        return np.where(z > 0, np.ones_like(z), np.full_like(z, self.alpha))


class GELU:
    C = math.sqrt(2.0 / math.pi)

    def forward(self, z):
        return 0.5 * z * (1.0 + np.tanh(self.C * (z + 0.044715 * z**3)))


def sigmoid(z):
    return Sigmoid().forward(z)


def tanh(z):
    return Tanh().forward(z)


def relu(z):
    return LeakyReLU(0.0).forward(z)


def leaky_relu(z, alpha=0.01):
    return LeakyReLU(alpha).forward(z)


def gelu(z):
    return GELU().forward(z)


def sigmoid_grad(z):
    return Sigmoid().derivative(z)


def tanh_grad(z):
    return Tanh().derivative(z)


def relu_grad(z):
    return LeakyReLU(0.0).derivative(z)


def leaky_relu_grad(z, alpha=0.01):
    return LeakyReLU(alpha).derivative(z)
