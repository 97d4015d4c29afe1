"""Power map labels cut to fit a cell: the start many names share ("Riverton") is left off, so marks differ."""

from __future__ import annotations

from allytui.model.powermap import fitted_label, shared_start, short_label

TOWN = [
    "Riverton Food Bank",
    "Riverton Town FC",
    "Riverton and District Trades Council",
    "riverton Evening WI",
    "Al-Noor Mosque and Community Centre",
    "Keep Riverton Moving",
    "Pat Kennedy",
    "Bernie Walsh",
]


def test_the_start_most_names_share_is_found_in_any_case() -> None:
    assert shared_start(TOWN) == "Riverton"
    assert shared_start([n.upper() for n in TOWN]) == "RIVERTON"


def test_a_start_of_several_words_when_all_that_share_it_share_them() -> None:
    names = ["Arle Valley Motor Club", "Arle Valley Disability Forum", "Arle Valley Ramblers", "Pat Kennedy"]
    assert shared_start(names) == "Arle Valley"
    assert short_label("Arle Valley Ramblers", "Arle Valley") == "Ramblers"


def test_no_start_when_too_few_names_share_it_or_it_is_a_short_title() -> None:
    three = ["Riverton Food Bank", "Riverton Pride", "Riverton Town FC", "Pat Kennedy"]
    assert shared_start(three) == "Riverton"  # three is enough
    assert shared_start(three[1:]) == ""
    assert shared_start(["St Mary's", "St John's", "St Anne's"]) == ""  # "St" alone says too little
    assert shared_start([f"Riverton Group {n}" for n in range(3)] + [f"Member{n} Smith" for n in range(40)]) == ""
    assert shared_start([]) == ""
    assert shared_start(["Riverton", "Riverton", "Riverton"]) == ""  # a name never loses its only word


def test_the_label_without_the_start_and_its_joining_words() -> None:
    assert short_label("Riverton Food Bank", "Riverton") == "Food Bank"
    assert short_label("Riverton and District Trades Council", "Riverton") == "District Trades Council"
    assert short_label("riverton Evening WI", "Riverton") == "Evening WI"
    assert short_label("Keep Riverton Moving", "Riverton") == "Keep Riverton Moving"  # only at the start
    assert short_label("Rivertonians United", "Riverton") == "Rivertonians United"  # whole words only
    assert short_label("Riverton", "Riverton") == "Riverton"
    assert short_label("Riverton and", "Riverton") == "Riverton and"  # nothing but a joining word left
    assert short_label("Riverton Pride", "") == "Riverton Pride"


def test_a_label_that_fits_is_left_whole() -> None:
    assert fitted_label("Riverton Pride", "Riverton", 14) == "Riverton Pride"
    assert fitted_label("Riverton Pride", "Riverton", 12) == "Pride"
    assert fitted_label("Al-Noor Mosque and Community Centre", "Riverton", 12) == "Al-Noor Mosque and Community Centre"
