"""The guide's own deck: complete, well-formed, with stable ids, written as good decks are."""

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
    assert len(DECK.cards) >= 250
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


def test_every_kata_has_cards_in_its_sections_deck():
    sections = set(DECK.sections())
    katas = [kata for kata in load_catalog().katas if kata.section in sections]
    assert len(katas) >= 30
    linked = {(card.kata, card.section) for card in DECK.cards if card.kata}
    assert not [kata.id for kata in katas if (kata.id, kata.section) not in linked]


def test_the_interview_tag_marks_the_guides_interview_questions_only():
    tagged = {card.id for card in DECK.cards if "interview" in card.tags}
    assert tagged == {card.id for card in DECK.cards if card.source == "interview"}


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


# --- card hygiene: the minimum-information principle ----------------------------------

REGULAR = [card for card in DECK.cards if card.source != "interview"]  # interview cards keep the guide's words
TWO_QUESTIONS = re.compile(r",? and (what|where|why|how|when|which|who|is|does|do|are)\b|\?\s+\S.*\?", re.I)
RECALL_LENGTH = 220  # characters of answer before its notes
NOTE_LENGTH = 300


def _recall(answer: str) -> str:
    return answer.split("\nNote:")[0]


def _notes(answer: str) -> str:
    return "".join(answer.split("\nNote:")[1:])


def test_each_card_asks_one_thing():
    two = [(card.id, card.question) for card in REGULAR if TWO_QUESTIONS.search(card.question)]
    assert not two


def test_answers_are_short_enough_to_recall():
    long = [(card.id, len(_recall(card.answer))) for card in REGULAR
            if len(_recall(card.answer)) > RECALL_LENGTH and "```" not in card.answer]
    assert not long
    assert not [card.id for card in DECK.cards if len(_notes(card.answer)) > NOTE_LENGTH]


def _formula(answer: str) -> str:
    """An answer's opening formula: its first line up to a top-level ", ", ". ", ": " or " (" ."""
    first, depth = answer.splitlines()[0], 0
    for index, char in enumerate(first):
        depth += (char in "([{") - (char in ")]}")
        if depth == 0 and first[index : index + 2] in (", ", ". ", "; ", ": ", " ("):
            return first[:index]
    return first.rstrip(".")


def test_no_question_gives_away_an_answer():
    formulas = {card.id: _formula(card.answer) for card in DECK.cards}
    formulas = {card_id: f for card_id, f in formulas.items() if len(f) >= 6 and re.search(r"[=~]", f)}
    assert len(formulas) >= 40  # the check sees the deck's formulas
    given_away = [
        (card_id, other.id) for card_id, formula in formulas.items() for other in DECK.cards if formula in other.question
    ]
    assert not given_away


def test_interview_answers_keep_their_text_and_name_a_short_card_for_each_point():
    interview = [card for card in DECK.cards if card.source == "interview"]
    by_id = {card.id: card for card in DECK.cards}
    assert len(interview) == 14
    for card in interview:
        points = [line for line in _recall(card.answer).splitlines() if re.match(r"^(- |\d+\. )", line)]
        assert card.parts and len(card.parts) >= min(len(points), 3), card.id
        assert all(part in by_id and by_id[part].source != "interview" for part in card.parts), card.id


CORRECTIONS = {
    # card id: words its answer must hold, correcting the guide
    "vanishing-gradient-problem": ["sigmoid layers only", "tanh′ peaks at 1", "ignores the weights"],
    "sigmoid-gradient-bound-depth": ["sigmoid only", "tanh′ peaks at 1", "ignores the weights"],
    "adagrad-update": ["PyTorch adds ε outside the square root"],
    "rmsprop-update": ["PyTorch adds ε outside the square root"],
    "causal-mask-shape": ["True = may attend", "F.scaled_dot_product_attention", "nn.MultiheadAttention", "opposite"],
    "implement-self-attention": ["True = may attend", "nn.MultiheadAttention", "opposite"],
    "why-sinusoidal-encoding": ["in practice", "longer than those trained on"],
    "lstm-solves-vanishing": ["fₜ ⊙ fₜ₋₁ ⊙ … ⊙ fₜ₋ₖ₊₁", "still decays"],
    "lstm-forget-product-decays": ["fₜ ⊙ fₜ₋₁ ⊙ … ⊙ fₜ₋ₖ₊₁", "decays geometrically"],
    "one-cycle-schedule": ["a claim, not a rule"],
}


@pytest.mark.parametrize("card_id, words", CORRECTIONS.items())
def test_the_guides_errors_are_corrected_where_cards_repeat_them(card_id, words):
    answer = DECK.find(card_id).answer
    assert all(word in answer for word in words), card_id
