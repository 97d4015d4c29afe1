"""How names, websites, emails and phones are normalised before records are compared for sameness."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

from anyascii import anyascii

# Words that tell nothing apart: "The Riverton Food Bank Ltd" is "Riverton Food Bank".
FILLER_WORDS = frozenset(
    {
        "the", "a", "an", "of", "and", "for", "in", "at", "on",
        "ltd", "limited", "cic", "plc", "inc", "llp", "charity", "trust",
        "church", "parish", "st", "saint",
    }
)  # fmt: skip


def words_of(name: str) -> list[str]:
    """name as lowercase ASCII words in any script, punctuation and apostrophes gone ("St Mary's": st, marys)."""
    text = anyascii(unicodedata.normalize("NFC", name)).casefold()
    text = re.sub(r"['’`]", "", text.replace("&", " and "))
    return re.findall(r"[a-z0-9]+", text)


def name_key(name: str) -> str:
    """The form two names are compared in: words_of without filler words, joined by one space.

    A name made only of filler words keeps them, so "The Church" still has a key."""
    words = words_of(name)
    kept = [w for w in words if w not in FILLER_WORDS]
    return " ".join(kept or words)


def website_key(url: str) -> str:
    """A website as its host and path, without scheme, "www.", query or trailing slash ("" when empty)."""
    url = url.strip()
    if not url:
        return ""
    parts = urlsplit(url if "//" in url else f"//{url}")
    host = (parts.hostname or "").removeprefix("www.")
    return f"{host}{parts.path.rstrip('/')}".casefold()


SHARED_HOSTS = frozenset(
    {
        "facebook.com", "m.facebook.com", "instagram.com", "twitter.com", "x.com", "linktr.ee", "google.com",
        "sites.google.com", "groups.google.com", "wordpress.com", "blogspot.com", "wixsite.com", "meetup.com",
        "eventbrite.co.uk", "eventbrite.com", "justgiving.com", "gofundme.com", "linkedin.com", "youtube.com",
        "tiktok.com", "bsky.app", "mastodon.social", "github.io",
    }
)  # fmt: skip
"""Hosts many unrelated groups have pages on: there the same domain says nothing, only the same page does."""


def on_shared_host(domain: str) -> bool:
    """Whether domain is one of SHARED_HOSTS or under one (riverton.wixsite.com)."""
    labels = domain.split(".")
    return any(".".join(labels[n:]) in SHARED_HOSTS for n in range(len(labels) - 1))


def website_domain(url: str) -> str:
    """The host of a website without "www." ("" when empty)."""
    return website_key(url).partition("/")[0]


def email_key(email: str) -> str:
    return email.strip().casefold()


def phone_key(phone: str) -> str:
    """A phone number's digits, a UK national 0 and the +44 / 0044 prefix taken as the same."""
    digits = re.sub(r"\D", "", phone)
    for prefix in ("0044", "44"):
        if phone.strip().startswith(("+", "00")) and digits.startswith(prefix):
            return "0" + digits[len(prefix) :]
    return digits
