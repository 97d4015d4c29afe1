"""The index of the rows' words (model/text_index.py, tui/rows.RowIndex) finds exactly the rows reading every row's
text finds, for every kind of filter word, on the sample data and on made-up text."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from allytui.model.filters import Fields, norm, parse
from allytui.model.text_index import TextIndex
from allytui.store.loader import load_repo
from allytui.tui.rows import (
    CONVERSATION_COLUMNS,
    CONVERSATION_FIELDS,
    GROUP_COLUMNS,
    GROUP_FIELDS,
    PERSON_COLUMNS,
    PERSON_FIELDS,
    Column,
    Row,
    RowIndex,
    conversation_rows,
    group_rows,
    haystack,
    person_rows,
    select,
)
from tests.helpers import SAMPLE_DATA

TODAY = dt.date(2026, 11, 26)
ODD_TEXT = [
    "Café Cymraeg – Ysgol Gymraeg, Llandaf",
    "Straße der Einheit e.V. (Straßenfest) 2026-11-24",
    "ÜNÏCODE group: naïve façade, coöperative",
    "St-Mary's PTA; st_marys@example.org https://st-marys.example.org/pta?x=1&y=2",
    "Mosque + Masjid al-Nūr, 12/04/2026 10:30 — +1 -2",
    "İstanbul Dernek ǅemal ﬁsh ﬂour",  # casefold changes length (İ, ﬁ)
    "tabs\tand\nnew lines\r\nand\u00a0no-break\u2003em spaces",
    '"quoted" [bold]markup[/] {braces} `tick` ~tilde~ | pipe \\ back',
    "日本語のグループ 東京 中文 团体 한국어",
    "",
]
QUERIES = [
    "r",
    "ri",
    "riv",
    "riverton",
    "food",
    "food bank",
    '"food bank"',
    '"riverton food"',
    "riverton food",
    "stage:allied",
    "stage:conv food",
    "influence:>=3 ri",
    "tag:foot",
    "st-marys",
    "st_marys",
    "st marys",
    "example.org",
    "https://st-marys",
    "2026",
    "2026-11",
    "2026-11-24",
    "+1",
    "-",
    "-2",
    "café",
    "CAFÉ",
    "é",
    "straße",
    "strasse",
    "ss",
    "naïve",
    "İstanbul",
    "fish",
    "ﬁsh",
    "東京",
    "no-break",
    "em spaces",
    '"new lines"',
    "[bold]",
    "markup[/]",
    "\\",
    '"',
    '""',
    "_",
    "zzzz-nothing-has-this",
    "a b c d",
]


@pytest.fixture
def index_every_list(monkeypatch: pytest.MonkeyPatch) -> None:
    """The index looked up however few rows there are (the sample data has dozens, not thousands)."""
    monkeypatch.setattr(RowIndex, "FROM_ROWS", 0)


def odd_rows() -> list[Row]:
    """Rows of made-up text: accents, casefolding that changes length, punctuation, other scripts, whitespace."""
    cells = ("", "", "", "", "", "", "", "")
    return [Row(f"odd-{n}", (text, *cells[1:]), haystack(text)) for n, text in enumerate(ODD_TEXT)]


def sample_lists() -> list[tuple[list[Row], list[Column], Fields]]:
    loaded = load_repo(SAMPLE_DATA)
    groups = group_rows(loaded.records, TODAY)
    return [
        (groups + [replace(r, key=f"x-{r.key}") for r in odd_rows()], GROUP_COLUMNS, GROUP_FIELDS),
        (person_rows(loaded.records), PERSON_COLUMNS, PERSON_FIELDS),
        (conversation_rows(loaded.records, TODAY), CONVERSATION_COLUMNS, CONVERSATION_FIELDS),
    ]


def built(rows: list[Row]) -> RowIndex:
    index = RowIndex(rows)
    while not index.complete:
        index.add(7)  # a few at a time, as the table builds it
    return index


def some_words(rows: list[Row], count: int, seed: int) -> list[str]:
    """Parts of the rows' own text, 1 to 12 characters long, at random: most are found, some span words."""
    chance = random.Random(seed)
    texts = [r.haystack for r in rows if r.haystack]
    found = []
    for _ in range(count):
        text = chance.choice(texts)
        start = chance.randrange(len(text))
        found.append(text[start : start + chance.randint(1, 12)])
    return found


def keys(rows: list[Row]) -> list[str]:
    return [r.key for r in rows]


@pytest.mark.usefixtures("index_every_list")
def test_every_filter_finds_with_the_index_what_reading_every_row_finds() -> None:
    looked_up = 0
    for rows, columns, fields in sample_lists():
        index = built(rows)
        queries = QUERIES + [f'"{w}"' for w in some_words(rows, 300, seed=len(rows))]
        for query in queries:
            wanted = parse(query, fields)
            assert keys(select(rows, columns, wanted, index)) == keys(select(rows, columns, wanted)), query
            looked_up += any(index.with_word(rows, word) is not None for word in wanted.words)
            # among some of the rows too, as when a filter narrows the last one's matches
            some = select(rows, columns, parse("e", fields))
            assert keys(select(some, columns, wanted, index)) == keys(select(some, columns, wanted)), query
    assert looked_up > 500  # the index answered most of them, not reading


@pytest.mark.usefixtures("index_every_list")
def test_typing_a_filter_then_deleting_it_letter_by_letter_matches_reading_every_row() -> None:
    rows, columns, fields = sample_lists()[0]
    index = built(rows)
    for query in ["riverton food bank stage:all", '"st-marys" tag:f', "café straße 2026-11", "influence:3..5 ri"]:
        typed = [query[:n] for n in range(1, len(query) + 1)]
        for text in typed + typed[::-1]:
            wanted = parse(text, fields)
            assert keys(select(rows, columns, wanted, index)) == keys(select(rows, columns, wanted)), text


@pytest.mark.usefixtures("index_every_list")
def test_an_index_not_yet_complete_is_not_used() -> None:
    rows, columns, fields = sample_lists()[0]
    index = RowIndex(rows)
    index.add(len(rows) // 2)
    wanted = parse("riverton", fields)
    assert index.with_word(rows, "riverton") is None
    assert keys(select(rows, columns, wanted, index)) == keys(select(rows, columns, wanted))
    assert keys(select(rows, columns, wanted))  # the sample has groups in Riverton


def test_a_word_most_texts_hold_is_left_to_reading_and_a_word_none_hold_is_found_nowhere() -> None:
    index = TextIndex()
    index.add(norm(f"group {n} of riverton") for n in range(100))
    assert index.find("riverton", most=50) is None  # in 100 texts: reading stops early in each
    found = index.find("riverton", most=1000)
    assert found is not None and found.positions == set(range(100)) and found.exact
    nothing = index.find("rivertown", most=50)
    assert nothing is not None and not nothing.positions and nothing.exact
    piece = index.find("7 of", most=1000)  # two pieces: the texts with the rarer, to be read
    assert piece is not None and not piece.exact
    assert piece.positions == {n for n in range(100) if "7" in str(n)}  # 7, 17 ... 70-79 ... 97


TEXT = st.text(alphabet="ab é-É. _\n\tßẞİ1", max_size=30)


@settings(max_examples=300, deadline=None)
@given(first=st.lists(TEXT, max_size=12), then=st.lists(TEXT, max_size=12), words=st.lists(TEXT, max_size=8))
def test_found_texts_are_exactly_those_holding_the_word(first: list[str], then: list[str], words: list[str]) -> None:
    """Any texts and words: exact answers are what reading finds, others hold everything reading finds."""
    index = TextIndex()
    texts: list[str] = []
    for part in (first, then):  # added in two parts, asked after each
        index.add(norm(t) for t in part)
        texts += [norm(t) for t in part]
        for word in [norm(w) for w in words] + [t[1:4] for t in texts]:
            reading = {n for n, text in enumerate(texts) if word in text}
            found = index.find(word, most=10_000)
            if found is None:
                continue
            if found.exact:
                assert found.positions == reading, (word, texts)
            else:
                assert reading <= found.positions, (word, texts)


@pytest.mark.usefixtures("index_every_list")
def test_an_index_carried_over_a_save_finds_what_reading_the_new_rows_finds() -> None:
    rows, columns, fields = sample_lists()[0]
    previous = built(rows)
    edited = [
        "quokkafest hall booked, the december café moved",
        "",
        "straße café riverton food bank",
        rows[3].haystack + " extra words at the end",
    ]
    changed = {0: edited[0], 5: edited[1], 9: edited[2], 3: edited[3]}
    new_rows = [replace(r, haystack=changed.get(n, r.haystack)) for n, r in enumerate(rows)]
    carried = RowIndex.carried(new_rows, previous)
    assert carried is not None and carried.complete
    for query in [*QUERIES, "quokkafest", "quokk", "december", "extra words", "hall", *some_words(new_rows, 200, 3)]:
        wanted = parse(query, fields)
        assert keys(select(new_rows, columns, wanted, carried)) == keys(select(new_rows, columns, wanted)), query
    assert keys(select(new_rows, columns, parse("quokkafest", fields), carried)) == [rows[0].key]


def test_an_index_is_not_carried_over_rows_added_or_many_changed() -> None:
    rows = [Row(str(n), ("",), f"group {n}") for n in range(300)]
    assert RowIndex.carried(rows[:-1], built(rows)) is None  # one fewer: the positions moved
    many = [replace(r, haystack=r.haystack + " changed") for r in rows]
    assert RowIndex.carried(many, built(rows)) is None  # more than 100 changed: built anew
    half_built = RowIndex(rows)
    half_built.add(100)
    assert RowIndex.carried(rows, half_built) is None


@settings(max_examples=200, deadline=None)
@given(texts=st.lists(TEXT, min_size=1, max_size=12), edits=st.lists(st.tuples(st.integers(0, 11), TEXT), max_size=6))
def test_texts_replaced_are_found_by_their_new_words_only(texts: list[str], edits: list[tuple[int, str]]) -> None:
    index = TextIndex()
    current = [norm(t) for t in texts]
    index.add(current)
    for position, text in edits:
        position %= len(current)
        index.replace(position, current[position], norm(text))
        current[position] = norm(text)
    for word in [norm(t) for t in texts] + [norm(t) for _, t in edits] + [t[1:4] for t in current]:
        reading = {n for n, text in enumerate(current) if word in text}
        found = index.find(word, most=10_000)
        if found is not None and found.exact:
            assert found.positions == reading, (word, current)
        elif found is not None:
            assert reading <= found.positions, (word, current)
