"""Kata `backprop`: the forward and backward pass of an MLP, by hand, in NumPy.

No torch, jax, autograd, tensorflow or scipy: every derivative is yours. Grade with
`dlprep grade backprop`.
"""

import numpy as np


def mlp_loss_and_grads(params, X, y, activation="relu"):
    """Mean softmax cross-entropy of an MLP, and its gradient with respect to every parameter.

    Forward, for each layer l = 1..L (weights in PyTorch's nn.Linear layout):
        zˡ = aˡ⁻¹ Wˡᵀ + bˡ            a⁰ = X;  (N, n_out)
        aˡ = g(zˡ)                    hidden layers only: the last layer is linear
        loss = −(1/N) Σₙ log softmax(zᴸₙ)[yₙ]

    Backward (the guide's rules, written for a batch of row vectors):
        δᴸ = (softmax(zᴸ) − one_hot(y)) / N                        (N, C)
        ∂L/∂Wˡ = δˡᵀ aˡ⁻¹   (n_out, n_in)     ∂L/∂bˡ = Σₙ δˡₙ   (n_out,)
        δˡ⁻¹ = (δˡ Wˡ) ⊙ g'(zˡ⁻¹)
    with σ'(z) = σ(z)(1 − σ(z)), tanh'(z) = 1 − tanh²(z), ReLU'(z) = 1 if z > 0 else 0.

    Args:
        params: list of (W, b), one per layer: W (n_out, n_in), b (n_out,), float64.
            An empty hidden part (a single layer) is softmax regression.
        X: (N, D) inputs, D = n_in of the first layer.
        y: (N,) integer class labels in [0, C), C = n_out of the last layer.
        activation: "relu", "tanh" or "sigmoid", used by every hidden layer.

    Returns:
        (loss, grads): loss a Python float; grads a list of (dW, db) in the order of
        params, each shaped like its (W, b). Logits of magnitude 1e3 must give a finite
        loss. Do not modify params, X or y.
    """
    raise NotImplementedError
