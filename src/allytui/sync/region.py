"""The region's exchange repo: join, leave, publish our folder, and read every participant's, refusing bad commits.

The exchange is a plain git repo where each participant owns `participants/<id>/`. Our copy is a bare repo
inside the data repo's `.git` folder (`.git/allytui-region`), so it never mixes with records. We write only our
own folder, as commits built from blobs (no work tree), authored by the participant, never by a person. What we
read of others is kept in a view (a ref in that copy): a folder comes into it only when the last commit that
changed it changed no other participant's folder; a commit that did is reported and the folder kept as it was.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import git
from pydantic import ValidationError

from allytui.model.ids import is_valid_id
from allytui.model.records import Conversation, Group, Kind, Person, RepoSettings, Team
from allytui.model.region import (
    HELD_NATIONALLY,
    AlsoInTouch,
    Match,
    Participant,
    ParticipantView,
    PublishedGroup,
    RegionStatus,
    also_in_touch,
    match_all,
    region_status,
    what_we_publish,
)
from allytui.model.region_settings import ParticipantKind, RegionSettings
from allytui.model.validation import Problem, error_pairs
from allytui.store import git as gitops
from allytui.store.atomic import write_atomic
from allytui.store.codec import ParseError, dump, parse
from allytui.store.errors import AllytuiError
from allytui.store.layout import SETTINGS_FILE
from allytui.store.loader import Loaded, read_file
from allytui.store.repo import DataRepo
from allytui.sync.driver import MAX_PUSH_ATTEMPTS, _write_blobs
from allytui.sync.remote import (
    PushRejected,
    RemoteBranchMissing,
    SyncError,
    address,
    check_remote_url,
    network,
    shown,
)

REGION_DIR = "allytui-region"
BRANCH = "main"
TRACKING = f"refs/remotes/origin/{BRANCH}"
VIEW_REF = "refs/allytui/region-view"  # what we take to be every participant's folder
SEEN_REF = "refs/allytui/region-seen"  # the exchange's tip when we last read it
FOLDER = "participants"
PARTICIPANT_FILE = "participant.toml"
EXCHANGE_EMAIL = "@exchange.invalid"  # allytui's commits in the exchange are <participant id>@exchange.invalid
MAX_PARTICIPANTS = 500
MAX_GROUPS = 20_000  # per participant
MAX_EXCHANGE_FILE = 64 * 1024
Progress = Callable[[str], None]


class RegionError(SyncError):
    """Something about the region that stops this one step (never the group's own sync)."""


@dataclass
class Exchange:
    """What the exchange holds for us to read: every other participant's view, and what was wrong."""

    ours: str
    views: dict[str, ParticipantView] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def others(self) -> list[ParticipantView]:
        return [view for pid, view in sorted(self.views.items()) if pid != self.ours]


@dataclass
class PublishReport:
    """What publish did (or, dry, would do): our files, whether they changed and were sent, what came in."""

    participant: str
    files: dict[str, bytes]
    changed: bool = False
    pushed: bool = False
    exchange: Exchange | None = None
    national: list[str] = field(default_factory=list)  # our groups newly marked as held nationally

    def summary(self) -> list[str]:
        lines = [
            f"shared {len(self.files) - 1} group(s) as {self.participant}"
            + ("" if self.changed else " (no change)")
            + ("; pushed" if self.pushed else "")
        ]
        if self.exchange is not None:
            others = self.exchange.others
            lines.append(f"read {len(others)} other participant(s), {sum(len(v.groups) for v in others)} group(s)")
            lines += [f"problem: {problem}" for problem in self.exchange.problems]
        if self.national:
            lines.append(f"marked {len(self.national)} group(s) {HELD_NATIONALLY}: {', '.join(self.national)}")
        return lines


# settings


def region_settings(repo: DataRepo) -> RegionSettings:
    return settings_of(repo.load())


def settings_of(loaded: Loaded) -> RegionSettings:
    """[region] from allytui.toml; with a problem there, nothing may be shared until it is fixed."""
    wrong = [p for p in loaded.problems if p.path == SETTINGS_FILE and p.field.startswith("region")]
    if wrong:
        raise RegionError(
            f"{SETTINGS_FILE} [region] has a problem, so nothing was shared or read: "
            + "; ".join(f"{p.field}: {p.message}" for p in wrong)
        )
    return loaded.settings.region


def participant_id(settings: RegionSettings, loaded: Loaded) -> str:
    """Our folder's name: the setting, else our one team's id."""
    if settings.participant:
        return settings.participant
    teams = sorted(loaded.records[Kind.TEAMS])
    if len(teams) == 1:
        return teams[0]
    raise RegionError(
        "say which folder of the exchange is ours: allytui region join URL --as ID "
        + ("(there is no team record here)" if not teams else f"(teams here: {', '.join(teams)})")
    )


def _our_participant(settings: RegionSettings, loaded: Loaded, pid: str) -> Participant:
    team = loaded.records[Kind.TEAMS].get(pid)
    name = team.name if isinstance(team, Team) else loaded.settings.name or pid
    area = team.area if isinstance(team, Team) else ""
    return Participant(id=pid, name=name, area=area, kind=settings.kind)


def _write_settings(repo: DataRepo, region: dict[str, object] | None, message: str) -> None:
    """Set (or, None, take out) [region] in allytui.toml and commit it alone."""
    path = repo.root / SETTINGS_FILE
    data = parse(read_file(path))
    if region is None:
        data.pop("region", None)
    else:
        data["region"] = region
    try:
        RepoSettings.model_validate(data)
    except ValidationError as error:
        raise RegionError("; ".join(f"{f}: {m}" for f, m in error_pairs(error))) from None
    with gitops.repo_lock(repo.git_repo):
        gitops.identity(repo.git_repo)
        write_atomic(path, dump(data).encode())
        gitops.commit_paths(repo.git_repo, [SETTINGS_FILE], message, run_hooks=repo.run_hooks)


# the copy of the exchange inside .git


def exchange_dir(repo: DataRepo) -> Path:
    return Path(repo.git_repo.git_dir) / REGION_DIR


def _open_exchange(repo: DataRepo, url: str) -> git.Repo:
    """Our bare copy of the exchange, made on first use, its remote set to url."""
    path = exchange_dir(repo)
    if not (path / "HEAD").is_file():
        path.mkdir(parents=True, exist_ok=True)
        git.Repo.init(path, bare=True, initial_branch=BRANCH)
    g = git.Repo(path)
    g.git.update_environment(**gitops.no_hooks_env())
    current = str(g.git.remote("get-url", "origin", with_exceptions=False)).strip()
    if not current:
        g.git.remote("add", "origin", url)
    elif current != url:
        g.git.remote("set-url", "origin", url)
    return g


def _fetch(g: git.Repo) -> str | None:
    """Take the exchange's branch; its tip, or None for an exchange nobody has written to yet."""
    with contextlib.suppress(RemoteBranchMissing):
        network(g, "fetch", "--quiet", "--no-tags", "origin", f"+refs/heads/{BRANCH}:{TRACKING}")
    return _ref(g, TRACKING)


def _ref(g: git.Repo, name: str) -> str | None:
    return str(g.git.rev_parse("--verify", "-q", name, with_exceptions=False)).strip() or None


def _identity_env(participant: Participant) -> dict[str, str]:
    """Commits in the exchange are the participant's, never a member's name or email."""
    email = f"{participant.id}{EXCHANGE_EMAIL}"
    return {
        "GIT_AUTHOR_NAME": participant.name,
        "GIT_AUTHOR_EMAIL": email,
        "GIT_COMMITTER_NAME": participant.name,
        "GIT_COMMITTER_EMAIL": email,
    }


def join(repo: DataRepo, url: str, *, participant: str = "", kind: str = "local") -> RegionSettings:
    """Join the exchange at url: check it can be reached, then keep it in allytui.toml [region]."""
    url = check_remote_url(url.strip())
    if address(url).local and "://" not in url:  # a folder: git runs inside .git/allytui-region, so not relative
        url = str(Path(url).expanduser().resolve())
    current = region_settings(repo)
    if current.joined and current.url != url:
        raise RegionError(f"this data repo already takes part in {shown(current.url)}; leave it first")
    settings = RegionSettings(url=url, participant=participant or current.participant, kind=ParticipantKind(kind))
    fresh = not exchange_dir(repo).exists()
    loaded = repo.load()
    pid = participant_id(settings, loaded)
    try:
        g = _open_exchange(repo, url)
        take_in(g, _fetch(g), pid, _our_participant(settings, loaded, pid))
    except BaseException:
        if fresh:
            shutil.rmtree(exchange_dir(repo), ignore_errors=True)
        raise
    region = settings.model_dump(mode="json", exclude_defaults=True)
    region["url"] = url
    _write_settings(repo, region | {"publish": settings.publish}, f"Region: join the exchange at {shown(url)}")
    return settings


def leave(repo: DataRepo, *, withdraw: bool = True, progress: Progress | None = None) -> bool:
    """Stop taking part: our folder is taken out of the exchange (withdraw), [region] out of allytui.toml,
    and our copy of the exchange deleted. True when our folder was withdrawn (False: there was none).

    Withdrawing needs the exchange: when it cannot be reached, nothing changes and the error says so.
    What we published stays in the exchange's history either way."""
    loaded = repo.load()
    settings = settings_of(loaded)
    if not settings.joined:
        raise RegionError("this data repo takes part in no region")
    withdrawn = _withdraw(repo, settings, loaded, progress) if withdraw else False
    _write_settings(repo, None, "Region: leave the exchange")
    shutil.rmtree(exchange_dir(repo), ignore_errors=True)
    return withdrawn


def _withdraw(repo: DataRepo, settings: RegionSettings, loaded: Loaded, progress: Progress | None) -> bool:
    """Push a commit that removes our folder from the exchange (retrying when someone pushed first)."""
    say = progress or (lambda _: None)
    pid = participant_id(settings, loaded)
    participant = _our_participant(settings, loaded, pid)
    g = _open_exchange(repo, check_remote_url(settings.url))
    for attempt in range(MAX_PUSH_ATTEMPTS):
        say("fetching the exchange" if attempt == 0 else "someone pushed first: fetching the exchange again")
        tip = _fetch(g)
        commit = _commit_ours(g, tip, participant, {})
        if commit is None:
            return False
        say("taking our folder out of the exchange")
        try:
            network(g, "push", "--quiet", "--no-verify", "origin", f"{commit}:refs/heads/{BRANCH}")
        except PushRejected:
            continue
        return True
    raise RegionError("others kept pushing to the exchange while this ran; try again in a moment")


# reading the exchange, refusing commits that change several participants' folders


def _folder_of(path: str) -> str | None:
    """The participant a path belongs to, or None when it is outside every participant's folder."""
    parts = PurePosixPath(path).parts
    if len(parts) >= 3 and parts[0] == FOLDER and is_valid_id(parts[1]):
        return parts[1]
    return None


def _commits(g: git.Repo, seen: str | None, tip: str) -> list[tuple[str, str, set[str]]]:
    """Each commit new since seen, oldest first: its id, the participant allytui wrote it as (from its author's
    address, id@exchange.invalid; "" for a commit made otherwise), and the paths it changed (a merge: against its
    first parent)."""
    span = f"{seen}..{tip}" if seen else tip
    out = str(
        g.git.log("--format=%x01%H %ae", "--name-only", "--no-renames", "-m", "--first-parent", "--reverse", span)
    )
    commits = []
    for block in out.split("\x01")[1:]:
        header, _, names = block.partition("\n")
        sha, _, email = header.strip().partition(" ")
        writer = email.removesuffix(EXCHANGE_EMAIL) if email.endswith(EXCHANGE_EMAIL) else ""
        commits.append((sha, writer, {name for name in names.split("\n") if name.strip()}))
    return commits


def _is_ancestor(g: git.Repo, old: str, new: str) -> bool:
    return g.git.merge_base("--is-ancestor", old, new, with_extended_output=True, with_exceptions=False)[0] == 0


def _folders(g: git.Repo, rev: str | None) -> dict[str, str]:
    """participant id -> the ls-tree line of its folder at rev."""
    if rev is None:
        return {}
    out = str(g.git.ls_tree(rev, f"{FOLDER}/", with_exceptions=False))
    found = {}
    for line in out.splitlines():
        meta, _, path = line.partition("\t")
        pid = PurePosixPath(path).name
        if meta.split()[1:2] == ["tree"] and is_valid_id(pid):
            found[pid] = f"{meta}\t{pid}"
    return found


def _held(g: git.Repo) -> dict[str, str]:
    """participant -> why its folder is held back, as kept in the view's commit message."""
    view = _ref(g, VIEW_REF)
    if view is None:
        return {}
    held = {}
    for line in str(g.git.log("-1", "--format=%B", view)).splitlines():
        if line.startswith("held "):
            _, pid, why = line.split(" ", 2)
            held[pid] = why
    return held


def take_in(g: git.Repo, tip: str | None, ours: str, participant: Participant) -> None:
    """Bring the exchange's new commits into our view, folder by folder; refuse a commit that changes more than
    one participant's folder (or anything outside them): the folders it changed are held as they were."""
    if tip is None:
        return
    seen = _ref(g, SEEN_REF)
    if seen == tip:
        return
    if seen is not None and not _is_ancestor(g, seen, tip):
        seen = None  # the exchange's history was rewritten: read all of it again
    last_bad: dict[str, str] = {}
    commits = _commits(g, seen, tip)
    for sha, writer, paths in commits:
        folders = {_folder_of(path) for path in paths}
        outside = None in folders
        named = sorted(f for f in folders if f is not None)
        for pid in named:
            if outside or len(named) > 1:
                what = ", ".join(named) + (" and files outside participants/" if outside else "")
                last_bad[pid] = f"commit {sha[:10]} changes the folders of {what}: not applied"
            elif writer and writer != pid:
                last_bad[pid] = f"commit {sha[:10]} by participant {writer} changes {pid}'s folder: not applied"
            else:
                last_bad.pop(pid, None)
    view = _folders(g, _ref(g, VIEW_REF))
    now = _folders(g, tip)
    held = {pid: why for pid, why in _held(g).items() if pid not in now or pid in view}
    changed = {pid for _, _, paths in commits for pid in map(_folder_of, paths) if pid is not None}
    for pid in changed | set(now) ^ set(view):
        if pid in last_bad:
            held[pid] = last_bad[pid]
            continue
        held.pop(pid, None)
        if pid in now:
            view[pid] = now[pid]
        else:
            view.pop(pid, None)
    inner = gitops.run_with_input(g, ["mktree"], "".join(f"{line}\n" for line in view.values()).encode())
    root = f"040000 tree {inner.decode().strip()}\t{FOLDER}\n"
    tree = gitops.run_with_input(g, ["mktree"], root.encode()).decode().strip()
    message = "view of the exchange\n\n" + "".join(f"held {pid} {why}\n" for pid, why in sorted(held.items()))
    env = {**os.environ, **_identity_env(participant)}
    commit = str(g.git.execute(["git", "commit-tree", tree, "-m", message], env=env)).strip()
    g.git.update_ref(VIEW_REF, commit)
    g.git.update_ref(SEEN_REF, tip)


def read_view(g: git.Repo, ours: str) -> Exchange:
    """Every participant's folder as our view holds it; an invalid file is a problem, never fatal."""
    exchange = Exchange(ours)
    exchange.problems += [Problem(f"{FOLDER}/{pid}", "", why) for pid, why in sorted(_held(g).items())]
    view = _ref(g, VIEW_REF)
    if view is None:
        return exchange
    out = str(g.git.ls_tree("-r", "-l", "-z", view, f"{FOLDER}/"))
    files: dict[str, dict[str, tuple[str, int]]] = {}
    for entry in out.split("\0"):
        if not entry:
            continue
        meta, _, path = entry.partition("\t")
        _, _, sha, length = meta.split()
        pid = _folder_of(path)
        if pid is None:
            continue
        files.setdefault(pid, {})[path] = (sha, int(length) if length.isdigit() else 0)
    if len(files) > MAX_PARTICIPANTS:
        exchange.problems.append(
            Problem(FOLDER, "", f"{len(files)} participants: only the first {MAX_PARTICIPANTS} are read")
        )
    wanted: dict[str, str] = {}
    for pid in sorted(files)[:MAX_PARTICIPANTS]:
        for path, (sha, size) in sorted(files[pid].items()):
            if size > MAX_EXCHANGE_FILE:
                exchange.problems.append(Problem(path, "", f"larger than {MAX_EXCHANGE_FILE // 1024} KB: not read"))
            else:
                wanted[path] = sha
    blobs = gitops.read_blobs(g, set(wanted.values()))
    for pid in sorted(files)[:MAX_PARTICIPANTS]:
        if pid == ours:
            continue
        _read_participant(pid, {p: blobs.get(s) for p, s in wanted.items() if _folder_of(p) == pid}, exchange)
    return exchange


def _read_participant(pid: str, files: dict[str, bytes | None], exchange: Exchange) -> None:
    base = f"{FOLDER}/{pid}"
    head = f"{base}/{PARTICIPANT_FILE}"
    participant = _valid(Participant, pid, files.get(head), head, exchange.problems)
    if not isinstance(participant, Participant):
        if head not in files:
            exchange.problems.append(Problem(head, "", "missing: this folder's groups are not read"))
        return
    view = ParticipantView(participant)
    for path, raw in sorted(files.items()):
        if path == head:
            continue
        parts = PurePosixPath(path).relative_to(base).parts
        name = parts[-1]
        if len(parts) != 2 or parts[0] != "groups" or not name.endswith(".toml") or not is_valid_id(name[:-5]):
            exchange.problems.append(Problem(path, "", "not a file the exchange has: left out"))
            continue
        if len(view.groups) >= MAX_GROUPS:
            exchange.problems.append(Problem(base, "", f"more than {MAX_GROUPS} groups: the rest are not read"))
            break
        group = _valid(PublishedGroup, name[:-5], raw, path, exchange.problems)
        if isinstance(group, PublishedGroup):
            view.groups[group.id] = group
    exchange.views[pid] = view


def _valid(
    model: type[Participant] | type[PublishedGroup], item_id: str, raw: bytes | None, path: str, problems: list[Problem]
) -> Participant | PublishedGroup | None:
    if raw is None:
        return None
    try:
        return model.model_validate({**parse(raw), "id": item_id})
    except ParseError as error:
        problems.append(Problem(path, "", error.message, error.line))
    except ValidationError as error:
        problems += [Problem(path, f, m) for f, m in error_pairs(error)]
    return None


# publishing our folder


def our_files(loaded: Loaded, settings: RegionSettings, participant: Participant) -> dict[str, bytes]:
    """participants/<us>/... path -> bytes: exactly what we share, built from the allow-list."""
    groups = [g for g in loaded.records[Kind.GROUPS].values() if isinstance(g, Group)]
    people = {pid: p for pid, p in loaded.records[Kind.PEOPLE].items() if isinstance(p, Person)}
    conversations = [c for c in loaded.records[Kind.CONVERSATIONS].values() if isinstance(c, Conversation)]
    shared = what_we_publish(groups, conversations, people, settings)
    base = f"{FOLDER}/{participant.id}"
    files = {f"{base}/{PARTICIPANT_FILE}": dump(participant.model_dump(mode="json", exclude_defaults=True)).encode()}
    for gid, group in shared.items():
        data = group.model_dump(mode="json", exclude_defaults=True, exclude_none=True)
        files[f"{base}/groups/{gid}.toml"] = dump(data).encode()
    return files


def _commit_ours(g: git.Repo, tip: str | None, participant: Participant, files: dict[str, bytes]) -> str | None:
    """A commit on tip whose only change is our folder, now exactly files; None when nothing changes."""
    base = f"{FOLDER}/{participant.id}/"
    assert all(path.startswith(base) for path in files)  # never another participant's folder
    before = str(g.git.ls_tree("-r", "--name-only", tip, base, with_exceptions=False)).splitlines() if tip else []
    changes: dict[str, bytes | None] = {path: None for path in before if path not in files}
    changes.update(files)
    blobs = _write_blobs(g, changes)
    tree = gitops.write_tree(g, tip, "", blobs)
    if tree is None or (tip is not None and str(g.git.rev_parse(f"{tip}^{{tree}}")).strip() == tree):
        return None
    message = f"{participant.name}: {len(files) - 1} group(s)" if files else f"{participant.name}: left the region"
    args = ["git", "commit-tree", tree, "-m", message] + (["-p", tip] if tip else [])
    return str(g.git.execute(args, env={**os.environ, **_identity_env(participant)})).strip()


def publish(repo: DataRepo, *, dry_run: bool = False, progress: Progress | None = None) -> PublishReport:
    """Write our folder into the exchange and push it (retrying when someone pushed first); read everyone
    else's as we go. dry_run: only say what would be shared, touching nothing."""
    say = progress or (lambda _: None)
    loaded = repo.load()
    settings = settings_of(loaded)
    if not settings.joined:
        raise RegionError("this data repo takes part in no region: allytui region join URL")
    pid = participant_id(settings, loaded)
    participant = _our_participant(settings, loaded, pid)
    report = PublishReport(pid, our_files(loaded, settings, participant))
    if dry_run:
        return report
    g = _open_exchange(repo, check_remote_url(settings.url))
    for attempt in range(MAX_PUSH_ATTEMPTS):
        say("fetching the exchange" if attempt == 0 else "someone pushed first: fetching the exchange again")
        tip = _fetch(g)
        take_in(g, tip, pid, participant)
        commit = _commit_ours(g, tip, participant, report.files)
        if commit is None:
            break
        report.changed = True
        say("pushing to the exchange")
        try:
            network(g, "push", "--quiet", "--no-verify", "origin", f"{commit}:refs/heads/{BRANCH}")
        except PushRejected:
            continue
        g.git.update_ref(TRACKING, commit)
        take_in(g, commit, pid, participant)
        report.pushed = True
        break
    else:
        raise RegionError("others kept pushing to the exchange while this ran; try again in a moment")
    report.exchange = read_view(g, pid)
    report.national = mark_national(repo, loaded, report.exchange)
    return report


def pull(repo: DataRepo) -> Exchange:
    """Fetch the exchange and read it, without publishing."""
    loaded = repo.load()
    settings = settings_of(loaded)
    if not settings.joined:
        raise RegionError("this data repo takes part in no region: allytui region join URL")
    pid = participant_id(settings, loaded)
    g = _open_exchange(repo, check_remote_url(settings.url))
    take_in(g, _fetch(g), pid, _our_participant(settings, loaded, pid))
    return read_view(g, pid)


def read_local(repo: DataRepo) -> tuple[Exchange, Loaded]:
    """The exchange as last fetched, with no network: for status, who, and the app."""
    loaded = repo.load()
    return read_exchange(repo, loaded), loaded


def read_exchange(repo: DataRepo, loaded: Loaded) -> Exchange:
    """The exchange as last fetched, with no network, for records already loaded."""
    settings = settings_of(loaded)
    if not settings.joined:
        raise RegionError("this data repo takes part in no region: allytui region join URL")
    pid = participant_id(settings, loaded)
    if not (exchange_dir(repo) / "HEAD").is_file():
        return Exchange(pid)
    return read_view(git.Repo(exchange_dir(repo)), pid)


@dataclass
class RegionInfo:
    """What the app shows of the region: each of our groups' other participants, and the region's status."""

    touch: dict[str, list[AlsoInTouch]] = field(default_factory=dict)
    status: RegionStatus | None = None
    problems: list[Problem] = field(default_factory=list)
    failure: str = ""  # why the region could not be read ("" when it was, or we take part in none)

    @property
    def joined(self) -> bool:
        return self.status is not None


def coordinate_first(repo: DataRepo, group_id: str) -> list[str]:
    """What to say before (or on) logging a conversation with our group: the other local groups talking,
    meeting or allied with the same organisation, as last fetched ([] when none, or not taking part)."""
    loaded = repo.load()
    if not loaded.settings.region.joined:
        return []
    close = [t for t in region_info(repo, loaded).touch.get(group_id, []) if t.close and not t.national]
    return [f"{t.line()}: coordinate with them first" for t in close]


def region_info(repo: DataRepo, loaded: Loaded) -> RegionInfo:
    """The region for the app, from what was last fetched; never raises (a failure is said in failure)."""
    try:
        if not settings_of(loaded).joined:
            return RegionInfo()
        exchange = read_exchange(repo, loaded)
        matches = region_matches(loaded, exchange)
        touch = {gid: also_in_touch(found, exchange.views) for gid, found in matches.items()}
        status = region_status([our_view(loaded), *exchange.others])
        return RegionInfo({gid: t for gid, t in touch.items() if t}, status, exchange.problems)
    except (AllytuiError, git.GitCommandError, OSError) as failure:
        return RegionInfo(failure=str(failure))


def our_view(loaded: Loaded) -> ParticipantView:
    """Our own folder as the region sees it, built now from our records (for the region's status)."""
    settings = settings_of(loaded)
    participant = _our_participant(settings, loaded, participant_id(settings, loaded))
    people = {pid: p for pid, p in loaded.records[Kind.PEOPLE].items() if isinstance(p, Person)}
    conversations = [c for c in loaded.records[Kind.CONVERSATIONS].values() if isinstance(c, Conversation)]
    return ParticipantView(participant, what_we_publish(our_groups(loaded), conversations, people, settings))


def our_groups(loaded: Loaded) -> list[Group]:
    return [g for g in loaded.records[Kind.GROUPS].values() if isinstance(g, Group)]


def mark_national(repo: DataRepo, loaded: Loaded, exchange: Exchange) -> list[str]:
    """Set national_contact on our groups a national participant holds; one commit; their ids."""
    national = [view for view in exchange.others if view.participant.kind is ParticipantKind.NATIONAL]
    if not national:
        return []
    matches = match_all([g for g in our_groups(loaded) if not g.national_contact], national)
    changed = [
        group.model_copy(update={"national_contact": True}) for group in our_groups(loaded) if group.id in matches
    ]
    if changed:
        repo.save_many(changed, f"Region: {len(changed)} group(s) held nationally, from the national team's list")
    return sorted(group.id for group in changed)


def decide(repo: DataRepo, group_id: str, ref: str, *, same: bool) -> Group:
    """Keep a member's decision that our group is (same_as) or is not (not_same_as) participant/group."""
    participant, _, theirs = ref.partition("/")
    if not (is_valid_id(participant) and is_valid_id(theirs)):
        raise RegionError(f"{ref!r}: expected PARTICIPANT/GROUP, as allytui region who shows it")
    group = repo.read(Kind.GROUPS, group_id)
    if not isinstance(group, Group):
        raise RegionError(f"no group {group_id}")
    keep, drop = ("same_as", "not_same_as") if same else ("not_same_as", "same_as")
    kept = [*(r for r in getattr(group, keep) if r != ref), ref]
    dropped = [r for r in getattr(group, drop) if r != ref]
    updated = group.model_copy(update={keep: kept, drop: dropped})
    repo.save(updated)
    return updated


def exchange_after_sync(repo: DataRepo, progress: Progress | None = None) -> list[str]:
    """Publish and pull the exchange after the group's own sync; any failure is a line, never an exception."""
    try:
        if not region_settings(repo).joined:
            return []
        return publish(repo, progress=progress).summary()
    except (AllytuiError, git.GitCommandError, OSError) as failure:
        return [f"the exchange was not updated: {failure}"]
    except Exception as failure:  # never the group's sync's failure; its text could hold record values: not shown
        return [f"the exchange was not updated: unexpected error ({type(failure).__name__})"]


def region_matches(loaded: Loaded, exchange: Exchange) -> dict[str, list[Match]]:
    return match_all(our_groups(loaded), exchange.others)
