"""Real age keys and a small team whose people's contact details and notes are sealed, for tests of every path."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from pyrage import x25519

from allytui.model.records import ContactDetails, Person, Team
from allytui.store.repo import DataRepo

EMAIL = "cy.private@example.org"
PHONE = "07700 900123"
NOTE = "Lives above the bakery\nprefers calls after six\nhas a dog called Moss"


@dataclass(frozen=True)
class Key:
    """A member's age identity in a file of its own (what allytui keys init makes) and its public recipient."""

    path: Path
    recipient: str

    def use(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("ALLYTUI_IDENTITY", str(self.path))


def make_key(folder: Path, name: str) -> Key:
    identity = x25519.Identity.generate()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.age"
    path.write_text(f"# {name}\n{identity}\n", encoding="ascii")
    path.chmod(0o600)
    return Key(path, str(identity.to_public()))


def no_key(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """This member holds no key: their key file is not there (and ALLYTUI_IDENTITY names none)."""
    monkeypatch.delenv("ALLYTUI_IDENTITY", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(folder / "no-config"))


def seal_team(repo: DataRepo, *keys: tuple[str, Key]) -> None:
    """A team whose members (id, key) hold keys, and Cy, whose contact details and notes are sealed on save."""
    repo.save(Team(id="riverton", name="Riverton"))
    for person_id, key in keys:
        repo.save(Person(id=person_id, name=person_id.title(), member_of="riverton", recipient=key.recipient))
    repo.save(
        Person(
            id="cy", name="Cy Morgan", role="caretaker", contact=ContactDetails(email=EMAIL, phone=PHONE), notes=NOTE
        )
    )


def file_text(repo: DataRepo, rel: str) -> str:
    return (repo.root / rel).read_text(encoding="utf-8")


def armor_blocks(text: str) -> list[str]:
    """Every age armor block in text, in order."""
    blocks, inside, current = [], False, []
    for line in text.splitlines():
        if "BEGIN AGE ENCRYPTED FILE" in line:
            inside, current = True, []
        if inside:
            current.append(line)
        if "END AGE ENCRYPTED FILE" in line:
            inside = False
            blocks.append("\n".join(current))
    return blocks


def git_text(repo: DataRepo, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo.root, capture_output=True, text=True, check=True).stdout


def nothing_plain(text: str) -> bool:
    """Whether text holds none of Cy's sealed values."""
    return all(secret not in text for secret in (EMAIL, PHONE, "bakery", "Moss"))


def damage(path: Path, field: str) -> None:
    """Change one base64 character of field's encrypted payload (its last armor line, past the header that
    names the keys): its shape stays right, so it loads and passes check, but it opens for no one."""
    lines = path.read_text(encoding="utf-8").split("\n")
    line = lines.index("-----END AGE ENCRYPTED FILE-----", lines.index(f"{field} = '''")) - 1
    lines[line] = lines[line][:1] + ("A" if lines[line][1] != "A" else "B") + lines[line][2:]
    path.write_text("\n".join(lines), encoding="utf-8")
