"""The brief on a group: every section, the national-contact warning, and record text that cannot change
the Markdown's structure (no headings, lists, links or HTML from a record)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from allytui.model.brief import NoSuchGroup, brief, links_to
from allytui.model.records import Activity, Conversation, Group, Kind, Person, Record, Team
from allytui.render.brief import brief_markdown
from allytui.render.markdown import md_block, md_inline, md_line

markdown_it = pytest.importorskip("markdown_it")

TODAY = dt.date(2026, 11, 26)
EVIL = "# [x](javascript:alert(1))"


def index_of(*records: Record) -> dict[Kind, dict[str, Record]]:
    index: dict[Kind, dict[str, Record]] = {kind: {} for kind in Kind}
    for record in records:
        index[record.KIND][record.id] = record
    return index


def html(markdown: str) -> str:
    return str(markdown_it.MarkdownIt("commonmark").render(markdown))


def sample(**group_fields: object) -> dict[Kind, dict[str, Record]]:
    fields: dict[str, object] = dict(
        name="St Mary's Church",
        category="faith",
        stage="allied",
        influence=4,
        alignment=2,
        lead="ana",
        next_action="Confirm the hall",
        next_action_due=dt.date(2026, 11, 27),
        aims="Serve the parish.\nCare for creation.",
        theory_of_change="Changed hearts.",
        organisation="A council of 12 decides.",
        networks="Churches Together",
        red_lines=["Nothing on Sunday mornings"],
    )
    fields.update(group_fields)
    return index_of(
        Team(id="us", name="Riverton Climate", members=["ana", "ben"], red_lines=["Nonviolence", "No police"]),
        Person(
            id="ana",
            name="Ana López",
            member_of="us",
            knows=[{"person": "helen", "how": "choir", "strength": 3}, {"group": "church", "how": "member"}],
        ),
        Person(id="ben", name="Ben Okoro", member_of="us"),
        Person(
            id="helen",
            name="Rev. Helen Carter",
            role="Vicar",
            groups=["church"],
            influence=4,
            knows=[{"person": "ben", "how": "neighbours", "strength": 1}],
        ),
        Person(id="sandra", name="Sandra Lyle", groups=["church"]),
        Group(id="church", **fields),  # type: ignore[arg-type]
        Conversation(
            id="2025-03-08-church-aaaa",
            date=dt.date(2025, 3, 8),
            group="church",
            their_people=["helen"],
            our_people=["ana"],
            common_ground="Flooding on Riverside",
            red_lines="No banners in church",
            next_steps="Old steps",
            follow_up=dt.date(2025, 4, 5),
        ),
        Conversation(
            id="2026-10-14-church-bbbb",
            date=dt.date(2026, 10, 14),
            group="church",
            their_people=["helen"],
            our_people=["ana", "ben"],
            common_ground="Soup and stories",
            next_steps="Confirm numbers",
            follow_up=dt.date(2026, 11, 24),
        ),
        Activity(
            id="cafe",
            title="Climate café",
            kind="climate_cafe",
            status="planned",
            date=dt.date(2026, 12, 5),
            partners=[{"group": "church", "role": "Venue", "agreed": True}, {"group": "mosque", "role": "Co-host"}],
        ),
        Group(id="mosque", name="Al-Noor", category="faith"),
    )


def test_every_section_is_there_in_order() -> None:
    text = brief_markdown(sample(), "church", TODAY)
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert headings == [
        "# Brief: St Mary's Church",
        "## Who they are",
        "## Their people and our links to them",
        "## Conversations (2, newest first)",
        "### 2026-10-14 — one to one",
        "### 2025-03-08 — one to one",
        "## Red lines",
        "### Theirs",
        "### Ours (Riverton Climate)",
        "## Open next steps",
        "## Joint activities (1)",
    ]
    assert "Prepared 2026-11-26 · faith · stage: allied · influence 4/5 · alignment +2 · our lead: Ana López" in text
    assert "**Aims:**\nServe the parish.\nCare for creation." in text
    assert "**Theory of change:** Changed hearts." in text
    assert "**How they are organised:** A council of 12 decides." in text
    assert "**Networks:** Churches Together" in text
    assert "National contact" not in text
    assert text.endswith("\n") and not text.endswith("\n\n")


def test_people_and_who_of_us_knows_them() -> None:
    text = brief_markdown(sample(), "church", TODAY)
    assert "Our members who know the group itself: Ana López (friendly, member)" in text
    assert (
        "- **Rev. Helen Carter** — Vicar, influence 4/5\n"
        "  - Known to Ana López (close, choir)\n"
        "  - Known to Ben Okoro (acquaintance, neighbours)\n"  # her link to our member counts too
        "- **Sandra Lyle**\n"
        "  - None of our members knows them yet."
    ) in text


def test_conversations_newest_first_with_common_ground_and_red_lines() -> None:
    text = brief_markdown(sample(), "church", TODAY)
    new, old = text.index("### 2026-10-14"), text.index("### 2025-03-08")
    assert new < old
    assert "**Common ground:** Soup and stories" in text[new:old]
    assert "With Rev. Helen Carter; for us Ana López, Ben Okoro." in text[new:old]
    assert "Follow up by 2026-11-24 (overdue by 2 days)." in text[new:old]
    assert "**Red lines they raised:** No banners in church" in text[old:]
    assert "Follow-up was due 2025-04-05." in text[old:]  # settled by the later conversation


def test_red_lines_theirs_and_ours() -> None:
    text = brief_markdown(sample(), "church", TODAY)
    theirs = text[text.index("### Theirs") : text.index("### Ours")]
    assert "- Nothing on Sunday mornings" in theirs
    assert "- **Raised on 2025-03-08**: No banners in church" in theirs
    ours = text[text.index("### Ours") : text.index("## Open next steps")]
    assert "- Nonviolence\n- No police" in ours


def test_open_next_steps_and_joint_activities() -> None:
    text = brief_markdown(sample(), "church", TODAY)
    steps = text[text.index("## Open next steps") : text.index("## Joint activities")]
    assert "- **Next action (Ana López)**: Confirm the hall — due 2026-11-27, tomorrow" in steps
    assert (
        "- **From the conversation of 2026-10-14 (Ana López, Ben Okoro) — follow up by 2026-11-24, "
        "overdue by 2 days**: Confirm numbers"
    ) in steps
    assert "Old steps" not in steps
    joint = text[text.index("## Joint activities") :]
    assert "- **Climate café** — climate cafe, planned, 2026-12-05" in joint
    assert "  - **St Mary's Church**: Venue (agreed)" in joint
    assert "  - Al-Noor: Co-host (not agreed yet) ⚠ agree it in advance" in joint


def test_national_contact_warning_comes_first() -> None:
    text = brief_markdown(sample(national_contact=True), "church", TODAY)
    warning = "> **⚠ National contact: route via the national relationships team; don't approach locally.**"
    assert warning in text
    assert text.index(warning) < text.index("## Who they are")
    assert [b.kind for b in brief(sample(national_contact=True), "church", TODAY)][:3] == ["title", "meta", "warning"]


def test_an_empty_group_says_what_is_missing() -> None:
    index = index_of(Group(id="g", name="New Group", category="sports"))
    text = brief_markdown(index, "g", TODAY)
    for expected in (
        "*Nothing recorded yet: ask about their aims",
        "*No one recorded yet.*",
        "## Conversations (0, newest first)\n\n*None yet.*",
        "*None recorded: find out theirs.*",
        "### Ours\n\n*None recorded: be clear about ours.*",
        "## Open next steps\n\n*None recorded.*",
        "## Joint activities (0)\n\n*None yet.*",
    ):
        assert expected in text


def test_no_such_group() -> None:
    with pytest.raises(NoSuchGroup):
        brief_markdown(sample(), "nowhere", TODAY)
    with pytest.raises(NoSuchGroup):
        brief_markdown(sample(), "ana", TODAY)  # a person's id is not a group


# escaping


def test_a_hostile_name_stays_text() -> None:
    index = sample(name=EVIL, aims="<script>alert(1)</script>\n- not a list\n1. not a list either\n# nor a heading")
    index[Kind.PEOPLE]["helen"] = index[Kind.PEOPLE]["helen"].model_copy(update={"name": "[y](http://evil.example)"})
    text = brief_markdown(index, "church", TODAY)
    rendered = html(text)
    assert "<a " not in rendered and "<script" not in rendered and "<img" not in rendered
    assert rendered.count("<h1>") == 1
    assert "<h1>Brief: # [x](javascript:alert(1))</h1>" in rendered
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered
    assert "- not a list" in rendered and "1. not a list either" in rendered and "# nor a heading" in rendered
    assert rendered.count("<li>") == len(re.findall(r"(?m)^(?:  )?- ", text))  # every list is the brief's own
    # and it stays readable: only backslashes were added
    assert "# Brief: # \\[x\\](javascript:alert(1))" in text


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("# heading", "\\# heading"),
        ("## two", "\\## two"),
        ("- item", "\\- item"),
        ("+ item", "\\+ item"),
        ("* item", "\\* item"),
        ("> quote", "\\> quote"),
        ("1. first", "1\\. first"),
        ("2) second", "2\\) second"),
        ("---", "\\---"),
        ("===", "\\==="),
        ("```", "\\`\\`\\`"),
        ("~~~", "\\~~~"),
        ("    code", "code"),
        ("\tcode", "code"),
        ("| a | b |", "\\| a | b |"),
        ("<b>bold</b>", "\\<b>bold\\</b>"),
        ("![img](x.png)", "!\\[img\\](x.png)"),
        ("a_b*c", "a\\_b\\*c"),
        ("back\\slash", "back\\\\slash"),
        ("St Mary's & friends — 10% off", "St Mary's & friends — 10% off"),
        ("C# club #", "C# club \\#"),
    ],
)
def test_md_line(text: str, escaped: str) -> None:
    assert md_line(text) == escaped
    rendered = html(md_line(text))
    assert rendered.startswith("<p>") and rendered.count("<p>") == 1


def test_md_inline_and_block() -> None:
    assert md_inline("# not at the start") == "# not at the start"
    assert md_inline("two\nlines\tand tab") == "two lines and tab"
    assert md_block("\n  first\n\n- second\n", "  ") == ["  first", "", "  \\- second"]


def test_links_to_keeps_the_stronger_of_two_links() -> None:
    index = sample()
    index[Kind.PEOPLE]["ben"] = Person(
        id="ben", name="Ben Okoro", member_of="us", knows=[{"person": "helen", "how": "close", "strength": 3}]
    )
    links = links_to(index, Kind.PEOPLE, "helen")
    assert [(link.member, link.strength, link.how) for link in links] == [("ana", 3, "choir"), ("ben", 3, "close")]
