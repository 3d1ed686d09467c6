"""Reading decks: dlprep's Markdown format, the basics of Obsidian's syntax, broken input, namespaces.

Obsidian Spaced Repetition's syntax in depth is in test_cards_obsidian.py.
"""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dlprep.cards.deck import DeckError, derived_id, load, parse, render
from dlprep.cards.markdown import Line
from dlprep.cards.obsidian import DEFAULT_CLOZES, is_card_line
from dlprep.cards.model import Card

from .conftest import write

NATIVE = """\
# 3.9 Made-up section

## first-card
tags: lstm, gates
kata: lstm
source: interview

Q: What does the forget gate do?

A: It scales the previous cell state:
- fₜ ≈ 1 keeps it
- fₜ ≈ 0 erases it

## code-card
tags: attention

Q: Write scaled dot-product attention.
In PyTorch.

A: ```python
# scores, then softmax
## not a heading
A: not a new answer either
scores = Q @ K.T / math.sqrt(d_k)
```
"""


def test_native_cards_keep_every_field():
    deck = parse(NATIVE, "made-up.md")
    assert not deck.problems
    assert deck.titles == {"3.9": "Made-up section"}
    first, code = deck.cards
    assert first == Card(
        id="first-card",
        section="3.9",
        question="What does the forget gate do?",
        answer="It scales the previous cell state:\n- fₜ ≈ 1 keeps it\n- fₜ ≈ 0 erases it",
        tags=("lstm", "gates"),
        kata="lstm",
        source="interview",
        file="made-up.md",
        line=3,
        deck="dlprep",
    )
    assert code.question == "Write scaled dot-product attention.\nIn PyTorch."
    # Markup inside a code block is code: no new card, no new answer.
    assert code.answer.splitlines() == [
        "```python",
        "# scores, then softmax",
        "## not a heading",
        "A: not a new answer either",
        "scores = Q @ K.T / math.sqrt(d_k)",
        "```",
    ]
    assert code.kata is None and code.source is None


OBSIDIAN = """\
# My LSTM notes
#rnn #lstm

What squashes the cell state on output?::tanh
forget gate:::fₜ = σ(W_f[hₜ₋₁, xₜ] + b_f)
std::vector in prose is read as a card, as Obsidian does; `std::vector` in code is not

How many gates
has an LSTM?
?
Three: input, forget, output.
<!--SR:!2024-03-01,3,250-->

GRU update rule
??
hₜ = (1 − zₜ) ⊙ hₜ₋₁ + zₜ ⊙ h̃ₜ

```cpp
a::b inside code is not a card
```
"""


def test_obsidian_cards():
    deck = parse(OBSIDIAN, "notes/lstm.md")
    assert not deck.problems
    pairs = [(card.question, card.answer, card.line) for card in deck.cards]
    assert pairs == [
        ("What squashes the cell state on output?", "tanh", 4),
        ("forget gate", "fₜ = σ(W_f[hₜ₋₁, xₜ] + b_f)", 5),
        ("fₜ = σ(W_f[hₜ₋₁, xₜ] + b_f)", "forget gate", 5),
        ("std", "vector in prose is read as a card, as Obsidian does; `std::vector` in code is not", 6),
        ("How many gates\nhas an LSTM?", "Three: input, forget, output.", 8),
        ("GRU update rule", "hₜ = (1 − zₜ) ⊙ hₜ₋₁ + zₜ ⊙ h̃ₜ", 14),
        ("hₜ = (1 − zₜ) ⊙ hₜ₋₁ + zₜ ⊙ h̃ₜ", "GRU update rule", 14),
    ]
    # No numbered heading: the file names the section; a line of #tags tags what follows.
    assert {card.section for card in deck.cards} == {"lstm"}
    assert all(card.tags == ("rnn", "lstm") for card in deck.cards)
    assert all(card.id.startswith("lstm-") for card in deck.cards)


def test_a_blank_line_ends_a_multi_line_card_and_headings_are_not_questions():
    text = "## Chapter\n# Part\nQuestion line\n?\nanswer one\n\nnot part of the answer\n"
    (card,) = parse(text, "n.md").cards
    assert (card.question, card.answer) == ("Question line", "answer one")


@pytest.mark.parametrize(
    "text, line, words",
    [
        ("ok::fine\n::no question\n", 2, "both sides"),
        ("ok::fine\nno answer:::\n", 2, "both sides"),
        ("ok::fine\n\n?\nanswer without question\n", 3, "question lines above"),
        ("ok::fine\n\nquestion\n??\n", 4, "answer lines below"),
        # Each problem points at the line to fix.
        ("ok::fine\n\n## no-answer\nQ: where is A?\n", 4, "no A:"),
        ("ok::fine\n\n## bad-key\ntag: lstm\nQ: q\nA: a\n", 4, "expected one of tags:, kata:, source:, parts:"),
        ("ok::fine\n\n## two words\nQ: q\nA: a\n", 3, "one word"),
        ("ok::fine\n\n## empty\nQ:\nA: a\n", 4, "empty question"),
        ("ok::fine\n\n## empty-answer\nQ: q\n\nA:\n", 6, "empty answer"),
    ],
)
def test_a_malformed_card_is_reported_with_file_and_line_and_the_rest_is_kept(text, line, words):
    deck = parse(text, "deck.md")
    (problem,) = deck.problems
    assert (problem.file, problem.line) == ("deck.md", line)
    assert words in problem.message
    assert str(problem).startswith(f"deck.md:{line}: ")
    assert [(card.question, card.answer) for card in deck.cards] == [("ok", "fine")]


def test_derived_ids_survive_answer_edits_and_reflowing_but_not_a_new_question():
    before = parse("Why scale by √dₖ?::keeps softmax unsaturated\n", "attention.md").cards[0]
    edited = parse("Why   scale by √dₖ?::so the variance stays 1\n", "attention.md").cards[0]
    reflowed = parse("Why scale\nby √dₖ?\n?\nanswer\n", "attention.md").cards[0]
    assert before.id == edited.id == reflowed.id == derived_id("attention.md", "Why scale by √dₖ?")
    assert parse("Why scale by √dₖ?::x\n", "other.md").cards[0].id != before.id
    assert parse("Why scale by dₖ?::x\n", "attention.md").cards[0].id != before.id
    # Only the file's name counts, so moving the notes folder keeps the history.
    assert parse("Why scale by √dₖ?::x\n", "/elsewhere/attention.md").cards[0].id == before.id


def test_folder_decks_load_recursively_skip_hidden_folders_and_report_duplicates(tmp_path):
    write(tmp_path, {
        "a.md": "## same-id\nQ: one\nA: 1\n\n## same-id\nQ: again\nA: 2\n",
        "sub/b.md": "x::y\n\n## same-id\nQ: two\nA: 2\n",
        ".hidden/c.md": "hidden::card\n",
        "notes.txt": "not::read\n",
    })
    deck = load(tmp_path)
    # Within one file an id is one card; another file is another namespace, so another card.
    assert [(card.question, card.deck) for card in deck.cards] == [
        ("one", f"{tmp_path.name}/a.md"), ("x", f"{tmp_path.name}/sub/b.md"), ("two", f"{tmp_path.name}/sub/b.md")
    ]
    (problem,) = deck.problems
    assert problem.file.endswith("a.md") and problem.line == 5
    assert "duplicate card id 'same-id'" in problem.message and "a.md:1" in problem.message


def test_card_keys_are_namespaced_by_deck_so_only_the_same_card_shares_history(tmp_path):
    shipped = load().find("sigmoid-formula")
    write(tmp_path, {
        "notes/dl.md": "## sigmoid-formula\nQ: my own wording\nA: mine\n",
        "notes/a/notes.md": "Same file name::first\n",
        "notes/b/notes.md": "Same file name::second\n",
        "named.md": "---\ndeck: my-deck\n---\n## sigmoid-formula\nQ: q\nA: a\n",
    })
    mine = load(tmp_path / "notes")
    assert shipped.key == "dlprep/sigmoid-formula"
    assert mine.find("notes/dl.md/sigmoid-formula").key != shipped.key
    a, b = (card for card in mine.cards if card.question == "Same file name")
    assert a.id == b.id and a.key != b.key  # same file name and question, two folders: two cards
    # A file names the folder it is read from, whether given itself or inside it.
    assert load(tmp_path / "notes" / "dl.md").cards[0].key == mine.find("sigmoid-formula").key
    # Frontmatter may name the deck, which then does not depend on where the file lives.
    assert load(tmp_path / "named.md").cards[0].key == "my-deck/sigmoid-formula"


def test_an_unreadable_file_is_a_problem_and_the_other_files_still_load(tmp_path):
    (tmp_path / "good.md").write_text("tea::thé\n", encoding="utf-8")
    (tmp_path / "latin1.md").write_bytes("ok::fine\ncaf\xe9::coffee\n".encode("latin-1"))
    deck = load(tmp_path)
    assert [card.answer for card in deck.cards] == ["thé"]
    (problem,) = deck.problems
    assert (Path(problem.file).name, problem.line) == ("latin1.md", 2)
    assert problem.message == "not UTF-8 text (byte 12); save the file as UTF-8"


def test_a_deck_without_a_readable_card_is_an_error(tmp_path):
    with pytest.raises(DeckError, match="no such file"):
        load(tmp_path / "missing.md")
    with pytest.raises(DeckError, match="no .md deck files"):
        load(tmp_path)
    (tmp_path / "latin1.md").write_bytes("caf\xe9::coffee\n".encode("latin-1"))
    with pytest.raises(DeckError, match=r"no card could be read\n  .*latin1\.md:1: not UTF-8 text \(byte 3\)"):
        load(tmp_path / "latin1.md")
    (tmp_path / "prose.md").write_text("Just prose.\n", encoding="utf-8")
    with pytest.raises(DeckError, match="prose.md: no card could be read\nWrite `## id`"):
        load(tmp_path / "prose.md")


# A line of card text must not be read as deck markup (of either format).
_line = st.text(
    alphabet=string.ascii_letters + string.digits + " .,;()[]{}+-*/=<>'\"!|σ∂√ⁿ₁ᵀ⊙→≈−×",
    min_size=1,
    max_size=40,
).filter(
    lambda s: s.strip() and s.strip()[:2] not in ("Q:", "A:") and "<!--" not in s  # a comment is markup too
    and not is_card_line(Line(1, s), DEFAULT_CLOZES)
)
_text = st.lists(_line, min_size=1, max_size=4).map(lambda lines: "\n".join(l.strip() for l in lines))
_word = st.text(alphabet=string.ascii_lowercase + string.digits + "-", min_size=1, max_size=12).filter(
    lambda s: s[0] != "-"
)
_cards = st.builds(
    Card,
    id=_word,
    section=st.just("3.9"),
    question=_text,
    answer=_text,
    tags=st.lists(_word, max_size=3, unique=True).map(tuple),
    kata=st.none() | _word,
    source=st.none() | st.just("interview"),
    parts=st.lists(_word, max_size=3, unique=True).map(tuple),
)


@settings(max_examples=100, deadline=None)
@given(st.lists(_cards, min_size=1, max_size=5, unique_by=lambda card: card.id))
def test_render_then_parse_gives_back_the_same_cards(cards):
    text = "# 3.9 Generated\n\n" + "\n".join(render(card) for card in cards)
    deck = parse(text, "generated.md")
    assert not deck.problems
    assert [card.to_dict() | {"line": 0, "file": ""} for card in deck.cards] == [
        card.to_dict() for card in cards
    ]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list("#:?Q A\n`~-ab") + ["## ", "Q: ", "A: ", "```", "::", "\n?\n"]), max_size=80))
def test_any_text_parses_into_cards_and_problems_without_raising(pieces):
    text = "".join(pieces)
    deck = parse(text, "fuzz.md")
    for card in deck.cards:
        assert card.question.strip() and card.answer.strip() and card.line >= 1
    for problem in deck.problems:
        assert problem.line >= 1


def test_card_dicts_round_trip():
    card = parse(NATIVE, "made-up.md").cards[0]
    assert Card.from_dict(card.to_dict()) == card
