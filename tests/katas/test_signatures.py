"""Parameters named otherwise than the contract: `def softmax(x, axis=-1)` is right.

The family: every function of every kata, its parameters renamed the ways candidates rename them
(`q` for `Q`, `x` for `z`), graded end to end, passes with a note; a function whose parameters
come in another order, or that lacks one, still fails.
"""

from __future__ import annotations

import ast

import pytest

from dlprep import paths
from dlprep.grading import grader, signatures
from dlprep.grading.signatures import Parameter
from dlprep.katas.catalog import load

KATAS = [kata for kata in load().katas if grader.contract_parameters(kata)]


def _plain(*names: str) -> list[Parameter]:
    return [Parameter(name, True) for name in names]


@pytest.mark.parametrize("contract, learner, expected", [
    (["z", "axis"], _plain("z", "axis"), {}),
    (["z", "axis"], _plain("x", "axis"), {"z": "x"}),
    (["Q", "K", "V", "mask"], _plain("q", "k", "v", "attn_mask"), {"Q": "q", "K": "k", "V": "v", "mask": "attn_mask"}),
    (["pred", "target"], _plain("target", "pred"), {}),  # every name there: called by name, order irrelevant
    (["z", "axis"], _plain("axis", "x"), {}),  # `axis` is in z's place: another order, not a renaming
    (["z", "axis"], _plain("x"), {"z": "x"}),  # no parameter in axis's place: a call passing it fails
    (["z", "axis"], [Parameter("x", False), Parameter("axis", True)], {}),  # positional-only, *args, keyword-only
])
def test_a_parameter_missing_by_name_is_the_learners_in_its_place(contract, learner, expected):
    assert signatures.renames(contract, learner) == expected


def _renamed(name: str, taken: set[str]) -> str:
    lower = name.lower()
    return lower if lower != name and lower not in taken else f"{name}_in"


def _rename_parameters(source: str, contract: dict[str, list[str]]) -> str:
    """The reference with every parameter of every contract function renamed, calls included."""
    tree = ast.parse(source)
    mappings = {name: {p: _renamed(p, set(params)) for p in params} for name, params in contract.items()}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in mappings:
            for keyword in node.keywords:
                keyword.arg = mappings[node.func.id].get(keyword.arg, keyword.arg)
    for function in tree.body:
        if isinstance(function, ast.FunctionDef) and function.name in mappings:
            mapping = mappings[function.name]
            for node in ast.walk(function):
                if isinstance(node, ast.arg) and node.arg in mapping:
                    node.arg = mapping[node.arg]
                elif isinstance(node, ast.Name) and node.id in mapping:
                    node.id = mapping[node.id]
    return ast.unparse(tree)


@pytest.mark.parametrize("kata", KATAS, ids=lambda k: k.id)
def test_every_function_with_its_parameters_renamed_passes_with_a_note(kata, tmp_path):
    contract = grader.contract_parameters(kata)
    submission = tmp_path / f"{kata.id}.py"
    submission.write_text(_rename_parameters(paths.reference(kata.id).read_text(), contract))
    report = grader.grade(kata, submission, ["cpu"])
    failures = [(c.name, c.message) for c in report.checks if not c.passed][:3]
    assert report.passed, (report.error, failures)
    for function in contract:
        assert any(note.startswith(f"`{function}` calls ") for note in report.notes), (function, report.notes)


_SOFTMAX = """
import numpy as np

def softmax({params}):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)

def log_softmax({params}):
    m = x.max(axis=axis, keepdims=True)
    return x - m - np.log(np.exp(x - m).sum(axis=axis, keepdims=True))
"""


@pytest.mark.parametrize("params, passes", [
    ("x, axis=-1", True),
    ("x, *, axis=-1", True),  # z is x by position, axis is axis by name
    ("axis, x", False),  # `axis` where the contract has `z`: the order differs, nothing is renamed
    ("x, axis_=-1", True),
    ("x", False),  # no parameter for axis: a case passing it fails
])
def test_renamed_parameters_are_passed_by_position_only_where_the_order_is_the_contracts(params, passes, tmp_path):
    submission = tmp_path / "softmax.py"
    source = _SOFTMAX.format(params=params)
    submission.write_text(source.replace("axis=axis", "axis=axis_") if "axis_" in params else source)
    report = grader.grade(load().get("softmax"), submission, ["cpu"])
    assert report.passed is passes, [(c.name, c.message) for c in report.checks if not c.passed][:2]
    if not passes:
        assert any("TypeError" in c.message for c in report.checks if not c.passed)


def test_a_signature_the_submission_made_unreadable_is_called_as_written(tmp_path):
    submission = tmp_path / "softmax.py"
    submission.write_text(_SOFTMAX.format(params="x, axis=-1") + "\nsoftmax.__signature__ = 5\n")
    report = grader.grade(load().get("softmax"), submission, ["cpu"])
    assert report.error is None
    failed = {c.call for c in report.checks if not c.passed}
    assert failed == {"softmax"}
    assert all("TypeError" in c.message for c in report.checks if not c.passed)


def test_a_function_adapted_under_another_name_gets_its_note(tmp_path):
    submission = tmp_path / "softmax.py"
    source = _SOFTMAX.format(params="x, axis=-1").replace("def softmax(", "def _softmax(")
    submission.write_text(source + "\nsoftmax = _softmax\n")
    report = grader.grade(load().get("softmax"), submission, ["cpu"])
    assert report.passed, [(c.name, c.message) for c in report.checks if not c.passed][:2]
    for function in ("softmax", "log_softmax"):
        assert any(note.startswith(f"`{function}` calls ") for note in report.notes), (function, report.notes)
