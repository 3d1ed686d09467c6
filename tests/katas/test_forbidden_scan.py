"""The static scan: every way the source names a forbidden API, each named once with its lines."""

from __future__ import annotations

import ast
import textwrap

import pytest

from dlprep.grading import forbidden
from dlprep.katas.catalog import load

ATTENTION = load().get("attention").forbidden
LOSSES = load().get("classification_losses").forbidden


def scan(source: str, entries=ATTENTION) -> list[tuple[str, int]]:
    return [(use.api, use.line) for use in forbidden.scan(ast.parse(textwrap.dedent(source)), entries)]


@pytest.mark.parametrize("source, expected", [
    ("import torch.nn.functional as F\nF.scaled_dot_product_attention(q, k, v)\n",
     [("torch.nn.functional.scaled_dot_product_attention", 2)]),
    ("from torch.nn.functional import scaled_dot_product_attention as sdpa\n",
     [("torch.nn.functional.scaled_dot_product_attention", 1)]),
    ("import torch\nx = torch.nn.functional.scaled_dot_product_attention\n",
     [("torch.nn.functional.scaled_dot_product_attention", 2)]),
    ("from torch import nn\nnn.MultiheadAttention(4, 2)\n", [("torch.nn.MultiheadAttention", 2)]),
])
def test_every_spelling_is_found(source, expected):
    assert scan(source) == expected


def test_a_multi_name_import_names_every_forbidden_name():
    found = scan("from torch.nn.functional import scaled_dot_product_attention, softmax, multi_head_attention_forward\n")
    assert found == [("torch.nn.functional.multi_head_attention_forward", 1),
                     ("torch.nn.functional.scaled_dot_product_attention", 1)]


def test_each_use_is_named_once_with_all_its_lines():
    uses = forbidden.scan(ast.parse(textwrap.dedent("""
        import torch.nn.functional as F
        a = F.scaled_dot_product_attention(q, k, v)
        b = F.scaled_dot_product_attention(q, k, v)
        c = F.log_softmax(a, -1) + F.log_softmax(b, -1)
    """)), ATTENTION + LOSSES)
    message = forbidden.describe(uses)
    assert message.count("scaled_dot_product_attention") == 1 and "(lines 3, 4)" in message
    assert message.count("log_softmax") == 1 and "(line 5)" in message


def test_a_method_form_is_found_and_a_learners_own_function_is_not():
    found = scan("""
        def cross_entropy(logits, target):
            return -logits.log_softmax(-1).gather(1, target[:, None]).mean()
    """, LOSSES)
    assert found == [("Tensor.log_softmax", 3)]
