"""Obsidian Spaced Repetition's syntax, in notes written the way the plugin's documentation shows them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dlprep.cards.deck import Options, load, parse
from dlprep.cards.obsidian import CLOZE_BLANK

from .conftest import write

ALL_CLOZES = Options(clozes=frozenset({"highlight", "bold", "curly"}))


def _cards(text: str, options: Options = Options()) -> list[tuple[str, str]]:
    deck = parse(text, "note.md", options=options)
    assert not deck.problems, [str(problem) for problem in deck.problems]
    return [(card.question, card.answer) for card in deck.cards]


def test_a_heading_over_q_style_notes_does_not_swallow_the_section():
    # A note's `## Heading` with a `Q:` line of prose, then the plugin's cards: every card is read.
    text = (
        "## Optimizers\n"
        "Q: what this section is about, in my own words\n"
        "What does Adam combine?::Momentum and RMSprop\n"
        "\n"
        "Why warm up\n"
        "the learning rate?\n"
        "?\n"
        "Adam's early moments are noisy.\n"
    )
    assert _cards(text) == [
        ("What does Adam combine?", "Momentum and RMSprop"),
        ("Why warm up\nthe learning rate?", "Adam's early moments are noisy."),
    ]


def test_dlprep_cards_are_read_where_they_are_unambiguous():
    native = "## sgd-update\ntags: optimizers\n\nQ: What is the SGD update?\n\nA: θ = θ − η∇L\n"
    (card,) = parse(native, "note.md").cards
    assert (card.id, card.question, card.answer, card.tags) == (
        "sgd-update", "What is the SGD update?", "θ = θ − η∇L", ("optimizers",)
    )
    # The same block holding Obsidian card markup is an Obsidian section: its cards are read,
    # none is swallowed into a native answer.
    mixed = parse(native + "\nnear::by\n", "note.md")
    assert [(card.question, card.answer) for card in mixed.cards] == [("near", "by")]
    # A heading of two words is not an id: prose there is notes, not an error.
    assert parse("## Some notes\nQ: not a card\nfar::away\n", "note.md").cards[0].question == "far"


@pytest.mark.parametrize(
    "kind, text",
    [
        ("highlight", "The first female ==prime minister== of Australia was ==Julia Gillard=="),
        ("bold", "The first female **prime minister** of Australia was **Julia Gillard**"),
        ("curly", "The first female {{prime minister}} of Australia was {{Julia Gillard}}"),
    ],
)
def test_each_cloze_deletion_is_a_card_of_its_own(kind, text):
    cards = _cards(text, Options(clozes=frozenset({kind})))
    full = "The first female prime minister of Australia was Julia Gillard"
    assert cards == [
        (f"The first female {CLOZE_BLANK} of Australia was Julia Gillard", full),
        (f"The first female prime minister of Australia was {CLOZE_BLANK}", full),
    ]
    # Off by default as in the plugin (only ==highlights== are on): then it is prose.
    assert _cards(text, Options(clozes=frozenset())) == []


def test_clozes_span_their_paragraph_and_ignore_code_and_math():
    text = "Adam divides by ==√v̂ + ε==\nwith ε = ==1e-8== by default.\n\n`a ==b== c` and $x ==y== z$ are not clozes\n"
    deck = parse(text, "note.md", options=ALL_CLOZES)
    assert [card.question for card in deck.cards] == [
        f"Adam divides by {CLOZE_BLANK}\nwith ε = 1e-8 by default.",
        f"Adam divides by √v̂ + ε\nwith ε = {CLOZE_BLANK} by default.",
    ]
    assert len({card.id for card in deck.cards}) == 2


def test_single_line_and_bidirectional_cards():
    assert _cards("the question goes on this side::answer goes here!\ninfo 1:::info 2\n") == [
        ("the question goes on this side", "answer goes here!"),
        ("info 1", "info 2"),
        ("info 2", "info 1"),
    ]


def test_multi_line_cards_keep_blank_lines_inside_code():
    text = "How do you print in Python?\n?\n```python\nprint('Hello')\n\n\nprint('Howdy?')\n```\n"
    ((question, answer),) = _cards(text)
    assert question == "How do you print in Python?"
    assert answer == "```python\nprint('Hello')\n\n\nprint('Howdy?')\n```"


def test_separators_inside_code_are_text():
    text = (
        "What does `x[::-1]` do?::reverses x\n"
        "In C++, what is `std::vector`?::a dynamic array\n"
        "`Inline::NotACard`\n"
        "```\nCodeblock::NotACard\n```\n"
        "$$a::b$$ is math\n"
    )
    assert _cards(text) == [("What does `x[::-1]` do?", "reverses x"), ("In C++, what is `std::vector`?", "a dynamic array")]


@pytest.mark.parametrize("marker", ["- ", "* ", "+ ", "> ", "1. ", "12) ", "- [ ] ", "> - "])
def test_list_and_quote_markers_are_not_part_of_the_question(marker):
    assert _cards(f"{marker}What is a tensor?::an n-dimensional array\n") == [("What is a tensor?", "an n-dimensional array")]


def test_a_card_inside_a_callout():
    text = "> [!question] Recall\n> What is ReLU?\n> ?\n> max(0, z)\n"
    assert _cards(text) == [("What is ReLU?", "max(0, z)")]


def test_tags_a_tag_line_question_tags_and_frontmatter():
    text = (
        "---\ntags: [flashcards/dl]\n---\n"
        "#flashcards/deckA\n"
        "Question1::Answer1\n"
        "#flashcards/optim Question2 (only optim)::Answer2\n"
        "Question3 (deckA again)::Answer3\n"
        "\n"
        "#flashcards/rnn\n"
        "Question on\ntwo lines\n?\nAnswer4\n"
    )
    deck = parse(text, "note.md")
    assert [(card.question, card.tags) for card in deck.cards] == [
        ("Question1", ("flashcards/dl", "flashcards/deckA")),
        ("Question2 (only optim)", ("flashcards/dl", "flashcards/optim")),
        ("Question3 (deckA again)", ("flashcards/dl", "flashcards/deckA")),
        ("Question on\ntwo lines", ("flashcards/dl", "flashcards/rnn")),
    ]
    # Tags are hierarchical: a parent tag selects its children.
    assert len(deck.select(tags=["flashcards"])) == 4
    assert [card.question for card in deck.select(tags=["flashcards/optim"])] == ["Question2 (only optim)"]


def test_a_vault_reads_only_notes_with_the_flashcard_tag(tmp_path):
    write(tmp_path, {
        ".obsidian/app.json": "{}",
        "Daily/2030-01-07.md": "mood:: good\nslept:: 7h\n",  # Dataview fields, not cards
        "DL/attention.md": "#flashcards\nWhy scale by √dₖ?::to keep the softmax out of saturation\n",
        "DL/rnn.md": "---\ntags: flashcards/rnn\n---\nWhat does the forget gate do?::scales the cell state\n",
        "DL/other.md": "---\ntags: [reading]\n---\nCapital of France::Paris\n",
        "Inline.md": "Some prose #flashcards/inline in a sentence.\nWhat is GELU?::z·Φ(z)\n",
    })
    deck = load(tmp_path)
    assert sorted(card.question for card in deck.cards) == [
        "What does the forget gate do?", "What is GELU?", "Why scale by √dₖ?"
    ]
    # From any folder inside it, keys stay relative to the vault.
    assert all(card.deck.startswith(f"{tmp_path.name}/") for card in deck.cards)
    inner = load(tmp_path / "DL")
    assert {card.key for card in inner.cards} < {card.key for card in deck.cards}
    # The tag is a setting, as in the plugin; a file given by name is read whatever its tags.
    assert [card.question for card in load(tmp_path, Options(flashcard_tags=("reading",))).cards] == ["Capital of France"]
    assert len(load(tmp_path / "Daily" / "2030-01-07.md").cards) == 2


def test_schedules_the_plugin_left_stay_with_their_cards():
    text = (
        "Question::Answer\n<!--SR:!2026-12-01,3,250-->\n"
        "Q2::A2 <!--SR:!2026-12-02,5,270-->\n"
        "Q3:::A3\n<!--SR:!2026-12-03,4,250!2026-12-04,6,230-->\n"
        "\n"
        "Multi\n?\nline\n<!--SR:2026-12-05,9,290-->\n"
        "\n"
        "A ==cloze== with ==two== deletions\n<!--SR:!2026-12-06,1,230!2026-12-07,2,250-->\n"
    )
    deck = parse(text, "note.md")
    assert [(card.question, card.sr_schedule) for card in deck.cards] == [
        ("Question", "2026-12-01,3,250"),
        ("Q2", "2026-12-02,5,270"),
        ("Q3", "2026-12-03,4,250"),
        ("A3", "2026-12-04,6,230"),
        ("Multi", "2026-12-05,9,290"),
        (f"A {CLOZE_BLANK} with two deletions", "2026-12-06,1,230"),
        (f"A cloze with {CLOZE_BLANK} deletions", "2026-12-07,2,250"),
    ]
    assert all("SR:" not in card.answer for card in deck.cards)


def test_commented_out_cards_are_ignored():
    text = "<!--Q1::A1 <!--SR:2021-08-20,13,290--> -->\n<!--\nQ2\n?\nA2\n-->\nQ3::A3 <!-- a remark -->\n"
    assert _cards(text) == [("Q3", "A3")]


def test_a_block_id_names_the_card_so_rewording_keeps_it():
    before = parse("What does Adam combine?::momentum and RMSprop ^adam-parts\n", "optim.md").cards[0]
    reworded = parse("Adam is made of which two ideas?::momentum and RMSprop ^adam-parts\n", "optim.md").cards[0]
    assert before.id == reworded.id == "adam-parts" and before.answer == "momentum and RMSprop"
    both = parse("sigmoid:::σ(z) = 1/(1 + e⁻ᶻ) ^sig\n", "a.md").cards
    assert [card.id for card in both] == ["sig", "sig-reverse"]
    clozes = parse("==ReLU== is max(0, ==z==) ^relu\n", "a.md").cards
    assert [card.id for card in clozes] == ["relu-1", "relu-2"]
    # Without one, a new question is a new card (the answer may change freely).
    plain = [parse(f"{q}::a\n", "optim.md").cards[0].id for q in ("Why?", "Why not?")]
    assert plain[0] != plain[1]


# Any mix of both formats' markup parses into cards and problems, never an exception.
_pieces = st.lists(
    st.sampled_from(
        list("#:?Q A\n`~-ab>=*{}$") + ["## ", "Q: ", "A: ", "```", "::", ":::", "\n?\n", "==", "**", "{{", "}}",
                                       "<!--SR:!2026-01-01,3,250-->", "<!--", "-->", " ^id", "#flashcards ", "---\n",
                                       "- ", "> ", "1. "]
    ),
    max_size=80,
)


@settings(max_examples=300, deadline=None)
@given(_pieces)
def test_any_markup_parses_without_raising(pieces):
    deck = parse("".join(pieces), "fuzz.md", options=ALL_CLOZES)
    for card in deck.cards:
        assert card.question.strip() and card.answer.strip() and card.line >= 1
        assert "<!--SR:" not in card.question + card.answer
    assert all(problem.line >= 1 for problem in deck.problems)


def test_a_block_id_before_the_schedule_comment_still_names_the_card():
    text = "Multi\n?\nline answer ^multi\n<!--SR:!2026-12-05,9,290-->\n"
    (card,) = parse(text, "n.md").cards
    assert (card.id, card.answer, card.sr_schedule) == ("multi", "line answer", "2026-12-05,9,290")
