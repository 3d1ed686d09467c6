"""The flashcard commands start fast: neither torch nor numpy is imported on their path."""

from __future__ import annotations

import json
import subprocess
import sys

from .conftest import subprocess_env

# Runs each command in one interpreter, as `dlprep ...` would, and reports which heavy
# modules were loaded after it.
PROBE = """
import json, sys
from dlprep.cli import app
report = {}
for args, stdin in json.loads(sys.argv[1]):
    sys.stdin = open(stdin) if stdin else sys.__stdin__
    try:
        app(args, prog_name="dlprep")
    except SystemExit:
        pass
    report[" ".join(args)] = sorted(m for m in ("torch", "numpy") if m in sys.modules)
sys.stderr.write("REPORT" + json.dumps(report))
"""


def test_card_commands_import_neither_torch_nor_numpy(tmp_path):
    ratings = tmp_path / "ratings.txt"
    ratings.write_text("3\n1\n", encoding="utf-8")
    (tmp_path / "notes.md").write_text("Q::A\n<!--SR:!2030-01-20,12,250-->\n", encoding="utf-8")
    commands = [
        (["--help"], None),
        (["quiz", "--limit", "2"], str(ratings)),
        (["quiz", "--cram", "--limit", "1"], str(ratings)),
        (["cards", "list", "--json"], None),
        (["cards", "tags"], None),
        (["cards", "show", "why-nonlinear-activations", "--json"], None),
        (["cards", "export", "--anki", str(tmp_path / "d.apkg"), "--csv", str(tmp_path / "d.csv")], None),
        (["cards", "prune", "--yes"], None),
        (["cards", "import-sr", str(tmp_path / "notes.md")], None),
        (["cards", "config"], None),
        (["drill", "-n", "2"], str(ratings)),
        (["stats"], None),
    ]
    result = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(commands)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=subprocess_env(),
        stdin=subprocess.DEVNULL,
        timeout=120,
    )
    report = json.loads(result.stderr.rpartition("REPORT")[2])
    assert report == {" ".join(args): [] for args, _ in commands}, result.stderr
