"""Flashcard benchmarks (measures, not tests): run `python benchmarks/bench_cards.py`.

Prints `name: value` lines:
  python_startup_s           `python -c pass`, the floor any command pays (median)
  quiz_first_card_s          launching `dlprep quiz` (stdin piped) until the first question is
                             on stdout, with bytecode caching as an installed dlprep has it
                             (median; target < 0.3)
  quiz_first_card_min_s      the fastest of those runs
  quiz_first_card_nocache_s  the same without bytecode caching (PYTHONDONTWRITEBYTECODE=1, as
                             some sandboxes set it: every dlprep module is compiled each run)
  deck_10k_cards             cards in the generated user deck
  deck_10k_load_s            loading that deck through `--deck`'s loader (median; target < 1)
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from dlprep.cards.deck import load, render
from dlprep.cards.model import Card

RUNS = 15


def _timed_runs(measure) -> list[float]:
    measure()  # warm the file cache and bytecode
    return [measure() for _ in range(RUNS)]


def _environment(scratch: Path, bytecode: bool) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env["DLPREP_HOME"] = str(scratch / "home")
    if bytecode:
        env["PYTHONPYCACHEPREFIX"] = str(scratch / "pycache")  # keeps the repository clean
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def python_startup(env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True, env=env)
    return time.perf_counter() - start


def quiz_first_card(env: dict[str, str]) -> float:
    """Seconds from launch until the first card's question panel has been written to stdout."""
    first = load().cards[0]
    marker = f"─ {first.id} ".encode()
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "dlprep", "quiz"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    seen = b""
    while marker not in seen:
        chunk = os.read(process.stdout.fileno(), 65536)
        if not chunk:
            raise RuntimeError(f"dlprep quiz ended before showing {first.id}:\n{seen.decode()}")
        seen += chunk
    elapsed = time.perf_counter() - start
    process.stdin.close()  # end of input: the session ends without rating anything
    process.wait(timeout=30)
    return elapsed


def write_user_deck(folder: Path, cards: int = 10_000) -> int:
    """A realistic mix over 20 files: a quarter in dlprep's format, the rest `Q::A`, `Q:::A`
    (two cards each) and `?` cards. Returns how many cards were written."""
    rng = random.Random(0)
    words = "gradient attention softmax layer norm kernel stride dropout lstm gate cell bias".split()
    files: list[list[str]] = [[f"# Notes {number}\n"] for number in range(20)]
    written = 0
    while written < cards:
        question = " ".join(rng.choices(words, k=12)) + f" {written}?"
        answer = "\n".join(" ".join(rng.choices(words, k=10)) for _ in range(rng.randint(1, 4)))
        kind = written % 4
        # dlprep-format files hold only such cards: an answer runs to the next `## ` heading.
        blocks = files[written % 5] if kind == 0 else files[5 + written % 15]
        if kind == 0:
            blocks.append(render(Card(f"card-{written}", "x", question, answer, tags=("bench", rng.choice(words)))))
        elif kind == 1:
            blocks.append(f"{question}::{answer.splitlines()[0]}\n")
        elif kind == 2:
            blocks.append(f"{question}:::{answer.splitlines()[0]}\n")
            written += 1
        else:
            blocks.append(f"{question}\n?\n{answer}\n")
        written += 1
    for number, blocks in enumerate(files):
        (folder / f"notes-{number:02}.md").write_text("\n".join(blocks), encoding="utf-8")
    return written


def deck_load(folder: Path) -> float:
    start = time.perf_counter()
    load(folder)
    return time.perf_counter() - start


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        scratch_path = Path(scratch)
        cached, uncached = _environment(scratch_path, True), _environment(scratch_path, False)
        startup = _timed_runs(lambda: python_startup(cached))
        first_card = _timed_runs(lambda: quiz_first_card(cached))
        print(f"python_startup_s: {statistics.median(startup):.3f}")
        print(f"quiz_first_card_s: {statistics.median(first_card):.3f}")
        print(f"quiz_first_card_min_s: {min(first_card):.3f}")
        print(f"quiz_first_card_nocache_s: {statistics.median(_timed_runs(lambda: quiz_first_card(uncached))):.3f}")

        deck_folder = scratch_path / "deck"
        deck_folder.mkdir()
        written = write_user_deck(deck_folder)
        deck = load(deck_folder)
        assert len(deck.cards) == written and not deck.problems, (len(deck.cards), written, deck.problems[:3])
        print(f"deck_10k_cards: {len(deck.cards)}")
        print(f"deck_10k_load_s: {statistics.median(_timed_runs(lambda: deck_load(deck_folder))):.3f}")


if __name__ == "__main__":
    main()
