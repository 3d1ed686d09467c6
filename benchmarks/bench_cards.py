"""Flashcard benchmarks (measures, not tests): run `python benchmarks/bench_cards.py`.

Prints `name: value` lines:
  python_startup_s           `python -c pass`, the floor any command pays (median)
  quiz_first_card_nocache_s  launching `dlprep quiz` (stdin piped) until the first question is
                             on stdout, without bytecode caching (PYTHONDONTWRITEBYTECODE=1, as
                             some sandboxes set it: every dlprep module is compiled each run;
                             median). With caching, as an installed dlprep has it, it is timed
                             by bench_startup.py
  deck_10k_cards             cards in the generated user deck
  deck_10k_load_s            loading that deck through `--deck`'s loader (median; target < 1)
"""

from __future__ import annotations

import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import quiz_first_card, scratch_env, timed_runs

from dlprep.cards.deck import load, render
from dlprep.cards.model import Card

RUNS = 15


def python_startup(env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True, env=env)
    return time.perf_counter() - start


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
        cached, uncached = scratch_env(scratch_path), scratch_env(scratch_path, bytecode=False)
        (startup,) = timed_runs(RUNS, lambda: python_startup(cached))
        print(f"python_startup_s: {statistics.median(startup):.3f}")
        (first_card,) = timed_runs(RUNS, lambda: quiz_first_card(uncached))
        print(f"quiz_first_card_nocache_s: {statistics.median(first_card):.3f}")

        deck_folder = scratch_path / "deck"
        deck_folder.mkdir()
        written = write_user_deck(deck_folder)
        deck = load(deck_folder)
        assert len(deck.cards) == written and not deck.problems, (len(deck.cards), written, deck.problems[:3])
        print(f"deck_10k_cards: {len(deck.cards)}")
        (loads,) = timed_runs(RUNS, lambda: deck_load(deck_folder))
        print(f"deck_10k_load_s: {statistics.median(loads):.3f}")


if __name__ == "__main__":
    main()
