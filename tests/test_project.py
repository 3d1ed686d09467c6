"""The project as a new user meets it: Quick start, entry points, start-up cost, packaging."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def quick_start_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```(?:sh|bash)?\n(.*?)\n```", section, flags=re.S)


def test_ci_runs_exactly_the_quick_start():
    commands = quick_start_commands()
    assert len(commands) == 2, "Quick start is two commands: set up and run, then test"
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    for command in commands:
        assert command in ci, f"{command!r} is not run verbatim by .ci/run"


def loaded_modules(*argv: str) -> set[str]:
    probe = (
        "import sys; sys.argv = ['dlprep', *sys.argv[1:]]\n"
        "from dlprep.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('MODULES', ' '.join(sorted(sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe, *argv], capture_output=True, text=True, check=True, env=os.environ).stdout
    return set(out.rsplit("MODULES ", 1)[1].split())


@pytest.mark.parametrize("argv", [("--help",), ("list",), ("list", "--json"), ("hint", "attention")])
def test_light_paths_import_neither_torch_nor_numpy(argv):
    modules = loaded_modules(*argv)
    assert "torch" not in modules and "numpy" not in modules


def test_python_dash_m_is_the_same_command():
    result = subprocess.run([sys.executable, "-m", "dlprep", "list", "--json"], capture_output=True, text=True, env=os.environ)
    assert result.returncode == 0 and '"id": "attention"' in result.stdout


def test_a_regular_install_finds_stubs_and_references(tmp_path):
    """`pip install .` (not editable) ships exercises/ and solutions/ inside the package."""
    source = tmp_path / "source"  # setuptools writes build/ beside the sources: keep it out of the checkout
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".git", ".venv", "build", "*.egg-info", "__pycache__"))
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation", "--target", str(target), str(source)],
        check=True, capture_output=True,
    )
    probe = (
        "import dlprep, dlprep.paths as p; "
        "print(dlprep.__file__, p.stub('attention').is_file(), p.reference('attention').is_file(), p.mistakes('attention').is_file(), "
        "p.statement('attention').is_file(), len(list((p.PACKAGE_DIR / 'cards' / 'decks').glob('3.*.md'))) == 6)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(target)}).stdout.split()
    assert out[0].startswith(str(target)) and out[1:] == ["True"] * 5
