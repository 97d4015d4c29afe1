"""`allytui agenda`, `allytui brief` and `allytui suggest` on the sample data, with a fixed today."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path

import pytest

from allytui.cli.agenda import cmd_agenda, cmd_brief, cmd_suggest
from allytui.cli.arguments.thinking import add_agenda_parser, add_brief_parser, add_suggest_parser
from allytui.cli.main import main
from allytui.render.brief import brief_markdown
from allytui.store.errors import AllytuiError, RecordNotFound
from allytui.store.repo import DataRepo

TODAY = "2026-11-26"
COMMANDS = {"agenda": cmd_agenda, "brief": cmd_brief, "suggest": cmd_suggest}


def parser() -> argparse.ArgumentParser:
    """These commands on a parser of their own (the lead registers them in allytui's)."""
    top = argparse.ArgumentParser(prog="allytui")
    commands = top.add_subparsers(dest="command")
    add_agenda_parser(commands)
    add_brief_parser(commands)
    add_suggest_parser(commands)
    return top


def run(repo: DataRepo, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    args = parser().parse_args(list(argv))
    code = COMMANDS[args.command](repo, args)
    return code, capsys.readouterr().out


def test_agenda_by_member_overdue_first_then_going_cold(
    sample_repo: DataRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run(sample_repo, capsys, "agenda", "--today", TODAY)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Agenda on 2026-11-26: overdue, and due in the next 14 days"
    assert lines[2].split() == ["MEMBER", "WHEN", "DUE", "RECORD", "WHAT"]
    members = [line.split("  ")[0] for line in lines[3:] if line[:1].strip()]
    assert members[:3] == ["Ellen Brooks", "Gareth Lewis", "Jonah Price"]
    ellen = lines[3 : lines.index(next(line for line in lines if line.startswith("Gareth Lewis")))]
    overdue = ["OVERDUE" in line for line in ellen]
    assert overdue == [True, True, True, False, False, False, False, False]  # overdue first, in capitals
    assert "OVERDUE BY 37 DAYS" in ellen[0]
    assert "agree the role of Al-Noor" in out  # a partner role not yet agreed, 9 days before the café
    cold = out[out.index("Going cold: no conversation for 60 days or more") :]
    assert "Friends of the River Arle" in cold and "last conversation 593 days ago (2025-04-12)" in cold
    assert cold.index("Friends of the River Arle") < cold.index("Riverton Chamber of Trade")


def test_agenda_for_one_member(sample_repo: DataRepo, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(sample_repo, capsys, "agenda", "--today", TODAY, "--member", "gareth-lewis", "--cold-days", "300")
    assert code == 0
    assert out.startswith("Agenda for Gareth Lewis on 2026-11-26")
    assert "Ellen Brooks" not in out.split("Going cold")[0]
    assert "St Mary's Parish Church" in out
    cold = out.split("Going cold: no conversation for 300 days or more (groups they lead)\n")[1]
    assert "Riverton Allotment and Garden Society" in cold and "Riverside Flood" not in cold  # 289 days < 300

    with pytest.raises(RecordNotFound, match="no such person"):
        run(sample_repo, capsys, "agenda", "--member", "nobody")


def test_agenda_json(sample_repo: DataRepo, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(sample_repo, capsys, "agenda", "--today", TODAY, "--json", "--days", "7")
    assert code == 0
    data = json.loads(out)
    assert data["today"] == TODAY and data["days"] == 7 and data["going_cold_days"] == 60
    ellen = next(m for m in data["members"] if m["member"] == "ellen-brooks")
    first = ellen["items"][0]
    assert first["overdue"] is True and first["when"] == "overdue by 37 days"
    assert first["kind"] == "conversations" and first["group"] == "al-noor-mosque"
    assert {"id": "maya-okafor", "name": "Maya Okafor"} in first["owners"]
    assert all(i["due"] <= "2026-12-03" for m in data["members"] for i in m["items"])
    assert data["going_cold"][0]["group"] == "friends-of-the-arle" and data["going_cold"][0]["days"] == 593


def test_agenda_rejects_bad_numbers(sample_repo: DataRepo) -> None:
    with pytest.raises(SystemExit):
        parser().parse_args(["agenda", "--days", "-1"])
    with pytest.raises(SystemExit):
        parser().parse_args(["agenda", "--today", "someday"])
    assert parser().parse_args(["agenda", "--today", "31/12/2026"]).today == dt.date(2026, 12, 31)


def test_brief_prints_markdown(sample_repo: DataRepo, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(sample_repo, capsys, "brief", "st-marys-church", "--today", TODAY)
    assert code == 0
    assert out.startswith("# Brief: St Mary's Parish Church\n")
    for heading in ("## Who they are", "## Red lines", "## Open next steps", "## Joint activities (2)"):
        assert f"\n{heading}" in out
    loaded = sample_repo.load()
    assert out == brief_markdown(loaded.records, "st-marys-church", dt.date(2026, 11, 26))


def test_brief_by_name_and_national_warning(sample_repo: DataRepo, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(sample_repo, capsys, "brief", "national education", "--today", TODAY)
    assert code == 0 and "⚠ National contact: route via the national relationships team" in out
    _, out = run(sample_repo, capsys, "brief", "groups/save-the-42")
    assert out.startswith("# Brief: Save the 42 Bus")
    with pytest.raises(AllytuiError, match="matches several groups"):
        run(sample_repo, capsys, "brief", "riverton")
    with pytest.raises(RecordNotFound, match="no such group"):
        run(sample_repo, capsys, "brief", "nowhere")


def test_brief_to_a_file(sample_repo: DataRepo, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "brief.md"
    code, out = run(sample_repo, capsys, "brief", "al-noor-mosque", "--today", TODAY, "--output", str(target))
    assert code == 0
    assert out == f"wrote the brief on Al-Noor Mosque and Community Centre to {target}\n"
    assert target.read_text(encoding="utf-8").startswith("# Brief: Al-Noor Mosque and Community Centre\n")
    assert not [p for p in sample_repo.root.rglob("*.md")]  # nothing written inside the data repo


def test_suggest(sample_repo: DataRepo, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(sample_repo, capsys, "suggest")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Activity ideas for capacity core"
    assert lines[2].startswith("Workshop: gardening, mending, cooking")
    assert "Mending workshops with the WI" in lines[2]
    code, out = run(sample_repo, capsys, "suggest", "--json", "--capacity", "low")
    data = json.loads(out)
    assert data["capacity"] == "low"
    assert [s["idea"] for s in data["suggestions"]][:4] == ["picnic", "stall", "climate-conversation", "leafleting"]
    picnic = data["suggestions"][0]
    assert picnic["groups"][0] == {
        "id": "friends-of-the-arle",
        "name": "Friends of the River Arle",
        "stage": "allied",
        "why": "any group",
    }
    assert not any(g["id"] == "neu-western-region" for s in data["suggestions"] for g in s["groups"])


def test_through_allytui_itself(sample_repo: DataRepo, capsys: pytest.CaptureFixture[str]) -> None:
    root = str(sample_repo.root)
    assert main(["--repo", root, "agenda", "--today", TODAY, "--member", "ruth-adeyemi"]) == 0
    assert "Ruth Adeyemi" in capsys.readouterr().out
    assert main(["--repo", root, "brief", "nowhere"]) == 1
    assert "no such group" in capsys.readouterr().err
    assert main(["--repo", root, "suggest", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["capacity"] == "core"
