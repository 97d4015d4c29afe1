"""allytui sync asks nothing, so a hand edit it commits that logs a conversation with someone who asked not to
be contacted is named in a note, as the app and allytui set would ask first."""

from __future__ import annotations

import pytest

from allytui.model.records import Person
from tests.cli.test_cli import run
from tests.sync.conftest import Shared


def test_sync_notes_a_hand_edited_conversation_with_a_do_not_contact_person(
    shared: Shared, capsys: pytest.CaptureFixture[str]
) -> None:
    ana = shared.ana
    ana.save(Person(id="zed", name="Zed Quill", do_not_contact=True))
    talk = ana.root / "conversations" / "2026" / "2026-11-20-zed-aaaaaa.toml"
    talk.parent.mkdir(parents=True, exist_ok=True)
    talk.write_text('date = 2026-11-20\ntheir_people = [\n    "zed",\n]\n')
    other = ana.root / "conversations" / "2026" / "2026-11-21-nobody-bbbbbb.toml"
    other.write_text("date = 2026-11-21\n")
    code, out, err = run(capsys, "--repo", str(ana.root), "sync", "--quiet")
    assert code == 0, err
    assert "committed 2 hand edit(s)" in out
    notes = [line for line in out.splitlines() if line.startswith("note: ")]
    assert notes == [
        "note: conversations/2026/2026-11-20-zed-aaaaaa.toml, edited by hand and committed: "
        "Zed Quill asked not to be contacted."
    ]
