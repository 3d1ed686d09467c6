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


# A stand-in for python3 and for the tools of the venv it makes: it logs how it was called.
FAKE_TOOL = """#!{python}
import os, sys
with open({log!r}, "a") as log:
    name = sys.argv[0] if sys.argv[0].startswith(".venv/") else os.path.basename(sys.argv[0])
    log.write(" ".join([name, *sys.argv[1:]]) + "\\n")
if sys.argv[1:3] == ["-m", "venv"]:
    os.makedirs(".venv/bin")
    for tool in ("pip", "dlprep", "python"):
        with open(".venv/bin/" + tool, "w") as script:
            script.write(open(__file__).read())
        os.chmod(".venv/bin/" + tool, 0o755)
sys.exit({status})
"""


def _fake(path: Path, log: Path, status: int = 0) -> None:
    path.write_text(FAKE_TOOL.format(python=sys.executable, log=str(log), status=status))
    path.chmod(0o755)


@pytest.mark.parametrize("apt", ["missing", "failing"])
def test_ci_installs_a_browser_first_and_goes_on_without_one(tmp_path, apt):
    """Before the Quick start, .ci/run installs chromium where apt can, quietly; where apt is
    missing or fails, it goes on to the Quick start all the same."""
    commands = quick_start_commands()
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    first = min(ci.index(command) for command in commands)
    assert any("apt-get install" in line and "chromium" in line for line in ci[:first])
    copy = tmp_path / "checkout"
    (copy / ".ci").mkdir(parents=True)
    shutil.copy2(ROOT / ".ci" / "run", copy / ".ci" / "run")
    tools, log = tmp_path / "bin", tmp_path / "log"
    tools.mkdir()
    for tool in ("bash", "dirname", "id", "timeout"):
        (tools / tool).symlink_to(shutil.which(tool))
    _fake(tools / "python3", log)
    if apt == "failing":
        _fake(tools / "apt-get", log, status=100)
        _fake(tools / "sudo", log, status=1)
    ran = subprocess.run([str(tools / "bash"), str(copy / ".ci" / "run")], env={"PATH": str(tools)}, capture_output=True, text=True, timeout=60)
    assert ran.returncode == 0, ran.stderr
    steps = log.read_text().splitlines()
    assert steps[-4:] == [
        "python3 -m venv .venv", ".venv/bin/pip install -c constraints.txt -e .[test]", ".venv/bin/dlprep list",
        ".venv/bin/python -m pytest -n auto",
    ]
    assert ran.stdout == "" and ("chromium could not be installed" in ran.stderr) == (apt == "failing")


def loaded_modules(*argv: str) -> set[str]:
    probe = (
        "import sys; sys.argv = ['dlprep', *sys.argv[1:]]\n"
        "from dlprep.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('MODULES', ' '.join(sorted(sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe, *argv], capture_output=True, text=True, check=True, env=os.environ).stdout
    return set(out.rsplit("MODULES ", 1)[1].split())


@pytest.mark.parametrize("argv", [("--help",), ("list",), ("list", "--json"), ("hint", "attention"), ("grade", "--help"), ("doctor", "--help"), (), ("today", "--help"), ("stats",)])
def test_light_paths_import_neither_torch_nor_numpy(argv):
    modules = loaded_modules(*argv)
    assert "torch" not in modules and "numpy" not in modules


@pytest.mark.parametrize("argv", [("--help",), ("list",), ("grade", "--help"), ("quiz", "--help")])
def test_start_up_pays_for_neither_pydantic_nor_typers_markdown_help(argv):
    """What made start-up three times `import typer, rich`: Typer 0.29's pydantic validation, and
    typer.rich_utils importing markdown-it and Pygments for a help markup dlprep does not use."""
    modules = loaded_modules(*argv)
    assert not {"pydantic", "typer.rich_utils", "markdown_it", "pygments"} & modules


@pytest.mark.parametrize("argv, other", [(("--help",), "dlprep.cli.katas"), (("--help",), "dlprep.cards.deck"), (("list",), "dlprep.cards.deck"), (("quiz", "--help"), "dlprep.katas.catalog")])
def test_a_command_loads_only_its_own_modules(argv, other):
    assert other not in loaded_modules(*argv)


def test_docs_katas_states_the_contract_of_every_kata():
    from dlprep.katas.catalog import load

    docs = (ROOT / "docs" / "katas.md").read_text()
    for kata in load().katas:
        row = next((line for line in docs.splitlines() if line.startswith(f"| `{kata.id}` |")), None)
        assert row is not None, f"docs/katas.md has no row for {kata.id}"
        for function in kata.functions:
            assert function in row, f"docs/katas.md does not give the signature of {kata.id}.{function}"
    for kind in ("syntax", "import", "not-implemented", "forbidden-api", "timeout", "crash", "missing-function"):
        assert f"`{kind}`" in docs


def test_the_repository_points_at_its_own_docs_only():
    readme = (ROOT / "README.md").read_text()
    assert "docs/katas.md" in readme
    outside = re.compile(r"KATAS\.md|beside the study guide|guide\.txt")
    for path in [ROOT / "README.md", *(ROOT / "docs").glob("*.md"), *(ROOT / "dlprep" / "katas" / "statements").glob("*.md")]:
        assert not outside.search(path.read_text()), f"{path.name} points outside the repository"


def test_the_install_paragraph_says_how_to_get_the_cpu_build():
    quick_start = (ROOT / "README.md").read_text().split("## Which torch you get", 1)[1].split("\n## ", 1)[0]
    assert "constraints.txt" in quick_start
    assert "--index-url https://download.pytorch.org/whl/cpu" in quick_start and "+cpu" in quick_start
    pinned = dict(line.split("==") for line in (ROOT / "constraints.txt").read_text().splitlines() if "==" in line)
    assert f"torch {pinned['torch']}" in quick_start and f"torch=={pinned['torch']} --index-url" in quick_start


GUIDE = ROOT.parent / "shared" / "guide.txt"


@pytest.mark.skipif(not GUIDE.is_file(), reason=f"the study guide is not at {GUIDE} (it is beside the checkout in CI only)")
def test_kata_sections_are_the_guides_sections():
    from dlprep.katas.catalog import load

    headings = {line.split(" ", 1)[0]: line for line in GUIDE.read_text(encoding="utf-8").splitlines() if re.match(r"3\.\d ", line)}
    catalog = load()
    assert set(catalog.sections) == set(headings)
    for section, title in catalog.sections.items():
        assert title.split()[0].lower() in headings[section].lower(), (section, title, headings[section])


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
