"""Where a kata's pieces come from: its checks module, its cases, the reference, its known mistakes.

The reference and the mistakes load only in the grader's process.
"""

from __future__ import annotations

import importlib
import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from dlprep import paths
from dlprep.grading.spec import Case, Mistake, Reading
from dlprep.katas.catalog import Kata

SEED = 20240607


def checks_module(kata: Kata) -> ModuleType:
    return importlib.import_module(f"dlprep.grading.checks.{kata.id}")


def make_cases(kata: Kata) -> list[Case]:
    checks = checks_module(kata)
    # FRESH_SEED katas (statistical ones) draw new cases every time, from OS entropy.
    return checks.cases(np.random.default_rng(None if getattr(checks, "FRESH_SEED", False) else SEED))


def load_module(path: Path, name: str, overrides: dict[str, Any] | None = None) -> ModuleType:
    """A fresh module from `path`; `overrides` replace some of its names (known mistakes)."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None, path
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for attr, value in (overrides or {}).items():
        setattr(module, attr, value)
    return module


def reference(kata: Kata) -> ModuleType:
    if kata.framework == "torch":
        import torch

        torch.set_num_threads(1)  # tiny cases: threads only add contention
    return load_module(paths.reference(kata.id), f"dlprep_reference_{kata.id}")


def mistakes(kata: Kata) -> list[Mistake]:
    return importlib.import_module(f"dlprep.solutions.mistakes.{kata.id}").MISTAKES


def mistake_impl(kata: Kata, mistake: Mistake | Reading) -> ModuleType:
    """The reference with a mistake's (or reading's) most typical form in place."""
    return variant_impl(kata, mistake.overrides)


def variant_impl(kata: Kata, overrides: dict[str, Any]) -> ModuleType:
    return load_module(paths.reference(kata.id), f"dlprep_variant_{kata.id}", overrides)


def readings(kata: Kata) -> list[Reading]:
    """The other right answers where the contract leaves a choice; most katas have none."""
    if not paths.readings(kata.id).is_file():
        return []
    return importlib.import_module(f"dlprep.solutions.readings.{kata.id}").READINGS
