"""Hypothesis strategies and helpers shared by the kata tests."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from dlprep.grading import loaders
from dlprep.katas.catalog import load

small = st.integers(min_value=1, max_value=6)
"""A dimension size: batch, heads, sequence length, features."""

seeds = st.integers(min_value=0, max_value=2**32 - 1)


def rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


def reference(kata_id: str):
    """The hidden reference module, loaded as the grader loads it."""
    return loaders.reference(load().get(kata_id))
