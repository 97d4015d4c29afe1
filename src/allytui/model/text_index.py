"""Which of many texts hold a filter word, without reading them all: an index of their words, built a part at a time.

A list's rows each have a searchable text (Row.haystack, normalised with filters.norm()). A free filter word
is found in a row when it is part of that text. Reading 50,000 texts of ~830 characters (42 MB) takes
~35 ms for a word most rows lack ("ri"), so a large list keeps this index: each distinct word of the texts
(split at spaces and ASCII punctuation) with the texts it is in. A filter word without those separators is
in a text exactly when it is part of one of the text's words, so the index answers it by looking through
the distinct words (a few thousand) instead of the texts. A word with separators ("st-marys", "food bank")
is in a text only if each of its pieces is: the index gives those texts, which are then read to be sure.
"""

from __future__ import annotations

import string
from array import array
from bisect import bisect_right
from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from itertools import repeat

SEPARATORS = str.maketrans(dict.fromkeys(string.punctuation, " "))
"""ASCII punctuation read as a space between words (whitespace already is one)."""
MOST_WORDS = 3000
"""A piece found in more distinct words than this is left to reading the texts: gathering them would take longer."""


def pieces(text: str) -> list[str]:
    """The words of a text as the index splits it: at whitespace and ASCII punctuation."""
    return text.translate(SEPARATORS).split()


@dataclass(frozen=True)
class Found:
    """The texts (by position) that may hold a word; exact: they all do, else each must still be read."""

    positions: set[int]
    exact: bool


class TextIndex:
    """The words of texts 0, 1, 2 ... (added a part at a time with add()) and the texts each is in."""

    def __init__(self) -> None:
        self._texts = 0
        self._postings: defaultdict[str, array[int]] = defaultdict(partial(array, "I"))
        self._vocabulary = ""
        self._starts: list[int] = []
        self._words: list[str] = []
        self._stale = False

    def __len__(self) -> int:
        """How many texts are indexed."""
        return self._texts

    def add(self, texts: Iterable[str]) -> None:
        """Index more texts; they take the next positions."""
        postings = self._postings
        for position, text in enumerate(texts, self._texts):
            words = set(pieces(text))
            # C-level calls, no Python loop per word (this is most of the time an index takes to build)
            deque(map(array.append, map(postings.__getitem__, words), repeat(position, len(words))), maxlen=0)
            self._texts = position + 1
        self._stale = True

    def replace(self, position: int, old: str, new: str) -> None:
        """Text `position`, indexed as old, now reads new."""
        before, after = set(pieces(old)), set(pieces(new))
        for word in before - after:
            self._postings[word].remove(position)
        for word in after - before:
            self._postings[word].append(position)
        self._stale = True

    def find(self, word: str, most: int) -> Found | None:
        """The texts that may hold word (a filter word, normalised as the texts are), or None when the index
        would take longer than reading them: every piece of it is in more than `most` text-word pairs in all
        (it is in most of the texts, where reading stops early), or in more than MOST_WORDS distinct words.

        A word of several pieces gives the texts holding its rarest piece (exact=False: each to be read), or
        None if that is more than `most` / 4 pairs."""
        parts = pieces(word)
        fewest: list[array[int]] | None = None
        for part in dict.fromkeys(parts):
            lists = self._lists(part, most)
            if lists is None:
                continue  # this piece narrows nothing cheaply; another may, or reading must
            if not lists:
                return Found(set(), exact=True)  # in no text at all
            if fewest is None or sum(map(len, lists)) < sum(map(len, fewest)):
                fewest = lists
        exact = parts == [word]
        if fewest is None or (not exact and sum(map(len, fewest)) > most // 4):
            return None  # each text found would still be read
        positions: set[int] = set()
        for texts in fewest:
            positions.update(texts)
        return Found(positions, exact)

    def _lists(self, part: str, most: int) -> list[array[int]] | None:
        """The texts of each distinct word containing part (which has no separators), None when too many."""
        self._refresh_vocabulary()
        vocabulary, starts, words, postings = self._vocabulary, self._starts, self._words, self._postings
        lists = []
        total = 0
        at = vocabulary.find(part)
        while at >= 0:
            n = bisect_right(starts, at) - 1
            texts = postings[words[n]]
            total += len(texts)
            lists.append(texts)
            if total > most or len(lists) > MOST_WORDS:
                return None
            at = vocabulary.find(part, starts[n + 1]) if n + 1 < len(starts) else -1
        return lists

    def _refresh_vocabulary(self) -> None:
        """Every distinct word in one string, a newline after each (words hold none), to search at C speed."""
        if not self._stale:
            return
        self._words = list(self._postings)
        self._starts = []
        at = 0
        for word in self._words:
            self._starts.append(at)
            at += len(word) + 1
        self._vocabulary = "".join(f"{word}\n" for word in self._words)
        self._stale = False
