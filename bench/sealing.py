"""Sealed fields: loading with sealing on against off, `keys add` on a big team, and opening one person's details.

    /work/main/.venv/bin/python bench/sealing.py [--n 10000] [--people 10000] [--reps 5] [--seed 1] [--keep]

1. Load: a generated repo of N records (bench/generate.py) loaded with load_repo as it is (sealing
   off: contact details and notes plain) and after `allytui seal` with one member's key (sealing on:
   every person's contact and notes sealed). The two copies are loaded alternately, after an untimed
   warm-up of each; target: sealing on within 1.05x of sealing off (loading never decrypts).
2. keys add: a repo of PEOPLE people, each with contact details and notes sealed to one member
   (2 x PEOPLE values), and a second member's key added with keys.add_key (every value opened and
   sealed to both keys, written and committed as one commit). One run, reported with its time, against
   the floor measured in the same run: pyrage alone opening and sealing the same values in memory.
3. Opening details: one person's detail view (KeyRing.open, then record_detail) with both values
   decrypted afresh each time (the in-memory cache emptied), against the same view of the person
   with plain values. Target: under 20 ms.
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
from pathlib import Path

import pyrage
from pyrage import x25519

from allytui.model.records import ContactDetails, Kind, Person, Team
from allytui.model.relations import RecordIndex
from allytui.model.sealed import Sealed
from allytui.store.codec import dump_record
from allytui.store.keyring import KeyRing
from allytui.store.keys import add_key, seal_all
from allytui.store.layout import path_of
from allytui.store.loader import load_repo
from allytui.store.repo import DataRepo
from allytui.store.sealing import seal
from allytui.tui.details import record_detail
from common import alternate, arguments, git, ratio, ratio_table, scratch, timed
from generate import generate_repo, init_scratch_repo

LOAD_TARGET = 1.05
OPEN_TARGET_MS = 20.0
TODAY = dt.date(2026, 11, 26)


def key_pair() -> tuple[x25519.Identity, str]:
    identity = x25519.Identity.generate()
    return identity, str(identity.to_public())


def give_key(repo: DataRepo, recipient: str) -> str:
    """The first member's recipient set (on their person record); their id."""
    loaded = repo.load()
    member = next(p for p in loaded.records[Kind.PEOPLE].values() if isinstance(p, Person) and p.member_of)
    repo.save(member.model_copy(update={"recipient": recipient}))
    return member.id


def bench_load(folder: Path, n: int, seed: int, reps: int) -> float:
    plain = generate_repo(folder / "plain", n, seed)
    sealed_root = folder / "sealed"
    git(folder, "clone", "-q", str(plain.root), str(sealed_root))
    sealed = DataRepo.open(sealed_root)
    git(sealed_root, "config", "user.name", "Bench")
    git(sealed_root, "config", "user.email", "bench@example.org")
    _, recipient = key_pair()
    give_key(sealed, recipient)
    seconds, made = timed(lambda: seal_all(sealed))
    print(f"load: {plain.count} records; allytui seal sealed {made.values} values in {made.records} records")
    print(f"(allytui seal took {seconds:.1f} s)")
    counts = {"off": plain.count, "on": plain.count}

    def load(root: Path, name: str) -> float:
        seconds, loaded = timed(lambda: load_repo(root), collect=True)
        assert loaded.count() == counts[name] and not loaded.problems, loaded.problems[:3]
        return seconds

    times = alternate(
        {"sealing off": lambda: load(plain.root, "off"), "sealing on": lambda: load(sealed_root, "on")}, reps
    )
    ratio_table(times, "sealing off", unit="s")
    result = ratio(times, "sealing on", "sealing off")
    verdict = "meets" if result <= LOAD_TARGET else "MISSES"
    print(f"sealing on / off = {result:.3f}x ({verdict} the {LOAD_TARGET}x target)")
    return result


def team_of(folder: Path, people: int, recipient: str) -> tuple[DataRepo, list[Sealed]]:
    """A repo of `people` people, each with contact details and notes sealed to recipient, in one commit."""
    repo = init_scratch_repo(folder / "team")
    records = [
        Team(id="our-team", name="Our team"),
        Person(id="ana", name="Ana", member_of="our-team", recipient=recipient),
        Person(id="ben", name="Ben", member_of="our-team"),
    ]
    values: list[Sealed] = []
    for number in range(people):
        contact = seal({"email": f"p{number}@example.org", "phone": f"07700 {number:06d}"}, [recipient])
        notes = seal(f"Met at the market, stall {number}\nAsk about the allotments", [recipient])
        values += [contact, notes]
        records.append(Person(id=f"person-{number:05d}", name=f"Person {number}", contact=contact, notes=notes))
    for record in records:
        path = repo.root / path_of(record)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dump_record(record), encoding="utf-8")
    git(repo.root, "add", "-A")
    git(repo.root, "commit", "-q", "-m", f"bench: {people} people with sealed values")
    return repo, values


def bench_keys_add(folder: Path, people: int) -> float:
    ana, ana_key = key_pair()
    _, ben_key = key_pair()
    repo, values = team_of(folder, people, ana_key)
    keys = [x25519.Recipient.from_str(ana_key), x25519.Recipient.from_str(ben_key)]

    def floor() -> None:
        for value in values:
            pyrage.encrypt(pyrage.decrypt(value.encode(), [ana]), keys, armored=True)

    floor_seconds, _ = timed(floor, collect=True)
    seconds, outcome = timed(lambda: add_key(repo, "ben", ben_key, [ana]), collect=True)
    assert outcome.values == len(values) and outcome.commit is not None
    print(f"\nkeys add: {people} people, {outcome.values} values re-sealed for {outcome.members} members, one commit")
    print(f"{'method':<26}{'s':>8}{'µs/value':>10}{'ratio':>8}")
    for name, value in (("pyrage open+seal (floor)", floor_seconds), ("keys add", seconds)):
        print(f"{name:<26}{value:>8.2f}{value / len(values) * 1e6:>10.0f}{value / floor_seconds:>7.2f}x")
    return seconds


def bench_open(folder: Path, reps: int) -> float:
    identity, recipient = key_pair()
    plain = Person(
        id="cy",
        name="Cy Morgan",
        role="caretaker",
        contact=ContactDetails(email="cy@example.org", phone="07700 900123"),
        notes="Lives above the bakery\nprefers calls after six",
    )
    sealed = plain.model_copy(
        update={
            "contact": seal(plain.contact.model_dump(exclude_defaults=True), [recipient]) if plain.contact else None
        }
    )
    sealed = sealed.model_copy(update={"notes": seal(plain.notes, [recipient])})
    index: RecordIndex = {kind: {} for kind in Kind}
    index[Kind.PEOPLE] = {"cy": sealed}
    ring = KeyRing([identity])

    def view(person: Person, opened: bool) -> float:
        ring.forget()
        seconds, text = timed(lambda: _detail(person, ring if opened else None, index))
        assert ("bakery" in text) and "BEGIN AGE" not in text
        return seconds

    times = alternate(
        {"plain values": lambda: view(plain, False), "sealed, decrypted": lambda: view(sealed, True)}, reps * 20
    )
    print("\nopening one person's details")
    ratio_table(times, "plain values")
    median_ms = statistics.median(times["sealed, decrypted"]) * 1e3
    verdict = "meets" if median_ms < OPEN_TARGET_MS else "MISSES"
    print(f"sealed details open in {median_ms:.2f} ms ({verdict} the {OPEN_TARGET_MS:.0f} ms target)")
    return median_ms


def _key(binding: str) -> str:
    return binding


def _detail(person: Person, ring: KeyRing | None, index: RecordIndex) -> str:
    """The detail pane's text for person, its sealed values opened first when ring is given."""
    opened = ring.open(person) if ring is not None else None
    record = opened.record if opened is not None else person
    closed = opened.closed if opened is not None else {}
    return record_detail(record, index, TODAY, _key, closed).plain


def main(argv: list[str] | None = None) -> int:
    parser = arguments(__doc__, keep="the scratch repos")
    parser.add_argument("--n", type=int, default=10_000, help="records in the load repo (default 10000)")
    parser.add_argument("--people", type=int, default=10_000, help="people for keys add (default 10000)")
    parser.add_argument("--reps", type=int, default=5, help="timed loads of each (default 5)")
    args = parser.parse_args(argv)
    with scratch("sealing-", args.keep) as folder:
        load_ratio = bench_load(folder, args.n, args.seed, args.reps)
        add_seconds = bench_keys_add(folder, args.people)
        open_ms = bench_open(folder, args.reps)
    print(f"\nsummary: load on/off {load_ratio:.3f}x, keys add {add_seconds:.1f} s, details open {open_ms:.2f} ms")
    return 0 if load_ratio <= LOAD_TARGET and open_ms < OPEN_TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
