"""Names, websites, emails and phones normalised for duplicate detection and import matching."""

from __future__ import annotations

import pytest

from allytui.model.likeness import email_key, name_key, phone_key, website_domain, website_key


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("The Riverton Food Bank Ltd", "riverton food bank"),
        ("St Mary's Parish Church", "St. Marys"),
        ("Friends of the River & Canal", "friends river and canal"),
        ("  Save   the 42 Bus!  ", "Save 42 bus"),
        ("Café Solidarité", "cafe solidarite"),
    ],
)
def test_names_that_people_would_call_the_same_have_one_key(first: str, second: str) -> None:
    assert name_key(first) == name_key(second)


def test_different_names_keep_different_keys() -> None:
    assert name_key("Riverton Food Bank") != name_key("Northfield Food Bank")
    assert name_key("The Church") == "the church"  # only filler: kept rather than empty
    assert name_key("Храм") == "khram"


def test_websites_compare_without_scheme_www_or_trailing_slash() -> None:
    assert website_key("https://www.RivertonFoodBank.org/") == website_key("rivertonfoodbank.org")
    assert website_key("http://example.org/groups/a") != website_key("http://example.org/groups/b")
    assert website_domain("https://www.example.org/groups/a?x=1") == "example.org"
    assert website_key("  ") == ""


def test_emails_and_phones_compare_as_people_write_them() -> None:
    assert email_key(" Ana@Example.org ") == email_key("ana@example.org")
    assert phone_key("+44 7700 900461") == phone_key("07700-900 461") == "07700900461"
    assert phone_key("0044 7700 900461") == "07700900461"
    assert phone_key("447700900461") == "447700900461"  # no + or 00: not taken as a country code
