"""allytui serve --add-member, --remove-member and --list-members: who may use the app in a browser."""

from __future__ import annotations

import re
import socket
from pathlib import Path

import pytest

from allytui.__main__ import main
from allytui.store.repo import DataRepo
from allytui.web.members import MembersFile, members_path
from tests.sealing_kit import EMAIL, make_key, seal_team

LINK = re.compile(r"http://127\.0\.0\.1:8000/login/([A-Za-z0-9_-]{43})$", re.MULTILINE)


def serve(repo: DataRepo, *args: str) -> int:
    return main(["--repo", str(repo.root), "serve", *args])


def test_adding_a_member_prints_a_one_time_link_and_keeps_only_its_hash(
    sample_repo: DataRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    assert serve(sample_repo, "--add-member", "people/ellen-brooks") == 0
    out = capsys.readouterr().out
    (token,) = LINK.findall(out)
    member = MembersFile(sample_repo.root).read()["ellen-brooks"]
    assert (member.name, member.email) == ("Ellen Brooks", "ellen.brooks@example.org")  # from the record
    assert token not in members_path().read_text()
    assert "ellen.brooks@example.org" not in out  # the link is for them; their address stays in the file

    assert serve(sample_repo, "--add-member", "ellen-brooks", "--public-url", "https://allies.example.org/") == 0
    assert re.search(r"^  https://allies\.example\.org/login/[A-Za-z0-9_-]{43}$", capsys.readouterr().out, re.M)

    assert serve(sample_repo, "--list-members") == 0
    listed = capsys.readouterr().out
    assert "people/ellen-brooks: a link not yet used, 0 browsers logged in" in listed


def test_a_member_who_is_not_a_person_gets_a_did_you_mean(
    sample_repo: DataRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    assert serve(sample_repo, "--add-member", "people/ellen-brook") == 1
    assert "people/ellen-brook: no such person; did you mean ellen-brooks?" in capsys.readouterr().err
    assert not members_path().exists()


def test_a_sealed_or_missing_email_must_be_given(
    repo: DataRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    key = make_key(tmp_path / "keys", "ana")
    key.use(monkeypatch)
    seal_team(repo, ("ana", key))  # Cy's contact details are sealed in the file
    assert EMAIL not in (repo.root / "people" / "cy.toml").read_text()
    assert serve(repo, "--add-member", "people/cy") == 1
    assert "contact is sealed: give the email their commits carry with --email" in capsys.readouterr().err
    assert serve(repo, "--add-member", "people/ana") == 1
    assert "has no email" in capsys.readouterr().err
    assert serve(repo, "--add-member", "people/cy", "--email", "cy@example.org", "--name", "Cy M") == 0
    assert MembersFile(repo.root).read()["cy"].email == "cy@example.org"
    assert serve(repo, "--add-member", "people/ana", "--email", "a <b>") == 1
    assert "cannot be used in a git identity" in capsys.readouterr().err


def test_removing_a_member(sample_repo: DataRepo, capsys: pytest.CaptureFixture[str]) -> None:
    assert serve(sample_repo, "--add-member", "people/ellen-brooks") == 0
    assert serve(sample_repo, "--remove-member", "people/ellen-brook") == 1
    assert "not a member in the browser; did you mean ellen-brooks?" in capsys.readouterr().err
    assert serve(sample_repo, "--remove-member", "people/ellen-brooks") == 0
    assert MembersFile(sample_repo.root).read() == {}
    assert serve(sample_repo, "--list-members") == 0
    assert "No members use this repo in a browser yet" in capsys.readouterr().out


def test_a_port_already_taken_is_said_plainly(sample_repo: DataRepo, capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert serve(sample_repo, "--port", str(port)) == 1
    said = capsys.readouterr().err
    assert f"cannot listen on 127.0.0.1:{port}" in said and "--port chooses another" in said
    assert "unexpected error" not in said
