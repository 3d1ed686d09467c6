"""Grade every reference, stub, correct variant and written mistake of the torch katas on a device.

For a machine with a GPU: `python scripts/grade_everything.py --device cuda` runs the whole set
once, through the real grader (isolated processes, the device check, the monitor), and prints a
line per file that did not end as it should, then a summary; `--json FILE` writes every result.
Without a GPU, `--device cpu` runs the same set here.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

from dlprep import paths
from dlprep.cli.katas import DEVICES
from dlprep.grading.grader import Grader
from dlprep.katas.catalog import load

TESTS = Path(__file__).resolve().parents[1] / "tests"


def targets(kata_ids: list[str], scratch: Path):
    """(kata, file, what it must end as): passed, not-implemented, or the mistake it must be named."""
    for kata in map(load().get, kata_ids):
        for label, source, expect in (("reference", paths.reference(kata.id), "passed"), ("stub", paths.stub(kata.id), "not-implemented")):
            copy = scratch / label / f"{kata.id}.py"
            copy.parent.mkdir(exist_ok=True)
            shutil.copyfile(source, copy)
            yield kata, copy, expect
        for file in sorted((TESTS / "corpus" / kata.id).glob("*.py")):
            yield kata, file, "passed"
        for file in sorted((TESTS / "mistake_forms" / kata.id).glob("*/*.py")):
            yield kata, file, file.parent.name


def outcome(report) -> str:
    if report.passed:
        return "passed"
    if report.error is not None:
        return report.error.kind
    return ",".join(d.mistake for d in report.diagnosis) or "failed, unnamed"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cuda", choices=("cuda", "cpu", "all"))
    parser.add_argument("--json", type=Path, help="write every result here")
    parser.add_argument("katas", nargs="*", help="kata ids (default: every torch kata)")
    options = parser.parse_args()
    devices = DEVICES[options.device]
    kata_ids = options.katas or [k.id for k in load().katas if k.framework == "torch"]
    scratch = Path(tempfile.mkdtemp(prefix="dlprep-everything-"))
    results, started = [], time.monotonic()
    try:
        with Grader(warm="torch") as grader:
            items = list(targets(kata_ids, scratch))
            for (kata, file, expect), (_, report) in zip(items, grader.grade_many([(k, f) for k, f, _ in items], devices)):
                got = outcome(report)
                results.append({"kata": kata.id, "file": str(file), "expected": expect, "got": got,
                                "devices": report.devices, "error": report.error.to_dict() if report.error else None,
                                "failing": [c.message for c in report.checks if not c.passed][:3]})
                if got != expect:
                    print(f"{kata.id}: {file.name} ended as {got}, expected {expect}; {results[-1]['failing'][:1] or results[-1]['error']}", flush=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    wrong = [r for r in results if r["got"] != r["expected"]]
    print(f"{len(results)} files on {'+'.join(devices)} in {time.monotonic() - started:.0f} s: {len(results) - len(wrong)} as expected, {len(wrong)} not")
    if options.json:
        options.json.write_text(json.dumps(results, indent=1))
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
