"""`dlprep grade --repro`: the smallest failing case, saved beside the learner's file to try in a REPL.

The case travels in dlprep's own frame format (arrays as raw bytes, never pickled) with the
reference's outputs on it, so the learner can call their function on exactly the inputs that
failed and look at what was expected.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from dlprep.grading import wire
from dlprep.grading.spec import Case


def save(kata_id: str, framework: str, case: Case, expected: dict[str, Any], path: Path) -> None:
    outputs = {name: record.get("data") for name, record in expected["outputs"].items()}
    message = {"kata": kata_id, "framework": framework, "case": dataclasses.asdict(case), "expected": outputs}
    path.write_bytes(wire.encode(message))


def load(path: str | Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """The case's arguments as your function receives them (tensors for torch katas), and the
    reference's outputs by name."""
    from dlprep.grading.execute import materialize

    message = wire.decode(Path(path).read_bytes())
    case = Case(**message["case"])
    return materialize(case, message["framework"], "cpu"), message["expected"]


def replay(path: str | Path, submission: str | Path) -> dict[str, Any]:
    """Run the saved case on a submission file as the grader does; print each output beside the
    reference's. For katas whose cases are a protocol (optimizers, modules) rather than one call."""
    import importlib.util

    import numpy as np

    from dlprep.grading import loaders
    from dlprep.grading.execute import execute
    from dlprep.katas.catalog import load as catalog

    message = wire.decode(Path(path).read_bytes())
    case = Case(**message["case"])
    checks = loaders.checks_module(catalog().get(message["kata"]))
    spec = importlib.util.spec_from_file_location("submission", submission)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    result = execute(module, checks, case, message["framework"], "cpu")
    for name, record in result["outputs"].items():
        want = message["expected"].get(name)
        got = record.get("data")
        if want is not None and got is not None and np.shape(got) == np.shape(want):
            print(f"{name}: max |yours − expected| = {np.max(np.abs(np.asarray(got, float) - np.asarray(want, float)), initial=0):.3g}")
        else:
            print(f"{name}: yours {np.shape(got) if got is not None else record['kind']}, expected {np.shape(want)}")
    return result


def snippet(kata_id: str, functions_called: str, case: Case, protocol: bool, path: Path, submission: Path) -> str:
    """Python to paste into a REPL, started in the folder of the submission."""
    if protocol:
        return (f"from dlprep.grading.repro import replay\n"
                f"result = replay({str(path)!r}, {str(submission)!r})  # case: {case.name}")
    outputs = ", ".join(case.outputs)
    return (f"import sys; sys.path.insert(0, {str(submission.parent)!r})\n"
            f"from dlprep.grading.repro import load\n"
            f"from {submission.stem} import {functions_called}\n"
            f"args, expected = load({str(path)!r})  # case: {case.name}\n"
            f"{outputs} = {case.call}(**args)\n"
            f"# compare with expected[{case.outputs[0]!r}]" + ("" if len(case.outputs) == 1 else ", ..."))
