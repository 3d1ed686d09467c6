"""The guide's own deck: complete, well-formed, with stable ids."""

from __future__ import annotations

import re
import unicodedata

import pytest

from dlprep.cards.deck import SHIPPED_DIR, load, parse
from dlprep.katas.catalog import load as load_catalog

from .conftest import REPO

GUIDE = REPO.parent / "shared" / "guide.txt"
DECK = load()


def test_the_deck_reads_without_problems_and_covers_every_section():
    assert not DECK.problems, [str(problem) for problem in DECK.problems]
    assert len(DECK.cards) >= 150
    assert DECK.sections() == ["3.1", "3.2", "3.3", "3.4", "3.5", "3.6"]
    assert set(DECK.titles) == set(DECK.sections())
    assert all(card.tags for card in DECK.cards)


def test_one_file_per_section():
    files = sorted(SHIPPED_DIR.glob("*.md"))
    sections = [{card.section for card in DECK.cards if card.file.endswith(file.name)} for file in files]
    assert [section.pop() for section in sections if len(section) == 1] == DECK.sections()


def test_katas_named_by_cards_exist():
    known = set(load_catalog().ids())
    unknown = {(card.id, card.kata) for card in DECK.cards if card.kata and card.kata not in known}
    assert not unknown


def test_ids_do_not_depend_on_the_text():
    file = sorted(SHIPPED_DIR.glob("*.md"))[0]
    text = file.read_text(encoding="utf-8")
    reworded = re.sub(r"^(Q|A): ", r"\1: Reworded. ", text, flags=re.MULTILINE)
    before, after = parse(text, file.name).cards, parse(reworded, file.name).cards
    assert [card.question for card in before] != [card.question for card in after]
    assert [card.id for card in before] == [card.id for card in after]


def _normal(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def guide_interview_questions() -> list[str]:
    """Each `Q: ... A:` of the guide's "Interview Questions" blocks, question part only."""
    lines = GUIDE.read_text(encoding="utf-8").splitlines()
    return [re.match(r"Q:\s*(.*?)\s*A:", line).group(1) for line in lines if line.startswith("Q:")]


@pytest.mark.skipif(not GUIDE.exists(), reason=f"the study guide is not at {GUIDE}")
def test_every_interview_question_of_the_guide_has_a_card():
    questions = guide_interview_questions()
    assert len(questions) >= 10  # the parse found them (the guide has 14)
    interview = {_normal(card.question) for card in DECK.cards if card.source == "interview"}
    missing = [question for question in questions if _normal(question) not in interview]
    assert not missing
