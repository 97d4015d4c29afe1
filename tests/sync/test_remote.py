"""Talking to the shared repo: clone and sync failures, ssh as the person set it up, hostile addresses and config."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from allytui.store.repo import DataRepo
from allytui.sync import remote
from allytui.sync.driver import clone, sync
from allytui.sync.remote import HostKeyChanged, SyncError, check_remote_url, shown
from tests.cli.test_cli import run
from tests.helpers import git
from tests.sync.conftest import Shared
from tests.sync.test_sync import edit

# What OpenSSH 9.2 prints on stderr for each failure (captured from a real ssh against a real sshd), exit 255.
UNKNOWN_HOST = "Host key verification failed.\r\n"
CHANGED_HOST_KEY = """\
@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@
@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @
@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@
IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!
Someone could be eavesdropping on you right now (man-in-the-middle attack)!
It is also possible that a host key has just been changed.
The fingerprint for the ED25519 key sent by the remote host is
SHA256:CAN2z8MbTuLRkNIEVYWY1Bb9qfiUXWPiLtTWhJioSGw.
Please contact your system administrator.
Add correct host key in /home/ana/.ssh/known_hosts to get rid of this message.
Offending ED25519 key in /home/ana/.ssh/known_hosts:1
  remove with:
  ssh-keygen -f "/home/ana/.ssh/known_hosts" -R "[192.0.2.7]:2222"
Host key for [192.0.2.7]:2222 has changed and you have requested strict checking.
Host key verification failed.
"""
AUTH_REFUSED = "git@192.0.2.7: Permission denied (publickey).\n"
CONNECTION_REFUSED = "ssh: connect to host 192.0.2.7 port 2222: Connection refused\n"
CONNECT_TIMED_OUT = "ssh: connect to host 192.0.2.7 port 2222: Connection timed out\n"
BANNER_TIMED_OUT = "Connection timed out during banner exchange\nConnection to 192.0.2.7 port 2222 timed out\n"
NO_SUCH_HOST = "ssh: Could not resolve hostname myserver: Name or service not known\n"
NOT_SSH = "kex_exchange_identification: Connection closed by remote host\nConnection closed by 192.0.2.7 port 2222\n"

SSH_FAILURES = {
    "unknown host": (UNKNOWN_HOST, ["does not know the server myserver", "run `ssh myserver` once in a terminal"]),
    "host key changed": (CHANGED_HOST_KEY, ["WARNING", "man-in-the-middle", "Do not connect", '"[192.0.2.7]:2222"']),
    "key refused": (AUTH_REFUSED, ["refused your ssh key", "ssh-add"]),
    "connection refused": (CONNECTION_REFUSED, ["myserver refused the connection"]),
    "connect timed out": (CONNECT_TIMED_OUT, ["did not answer within 20 seconds"]),
    "banner timed out": (BANNER_TIMED_OUT, ["did not answer within 20 seconds"]),
    "unknown name": (NO_SUCH_HOST, ["server name myserver cannot be found"]),
    "not an ssh server": (NOT_SSH, ["closed the connection before ssh could start"]),
}
ALIAS_URL = "myserver:/srv/git/riverton.git"


@dataclass
class FakeSsh:
    """An ssh program that says what a real one says when it fails, and notes how it was called."""

    program: Path

    def fails_with(self, stderr: str, code: int = 255) -> None:
        (self.program.parent / "stderr").write_text(stderr)
        (self.program.parent / "code").write_text(str(code))

    def hangs(self) -> None:
        (self.program.parent / "hang").write_text("")

    @property
    def argv(self) -> list[str]:
        return (self.program.parent / "argv").read_text().splitlines()


@pytest.fixture
def fake_ssh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FakeSsh:
    folder = tmp_path / "bin"
    folder.mkdir()
    program = folder / "ssh"
    program.write_text(
        "#!/bin/sh\n"
        'here=$(dirname "$0")\n'
        'printf "%s\\n" "$@" > "$here/argv"\n'
        'if [ -e "$here/hang" ]; then exec sleep 30; fi\n'
        'cat "$here/stderr" >&2\n'
        'exit "$(cat "$here/code")"\n'
    )
    program.chmod(0o755)
    monkeypatch.setenv("GIT_SSH_COMMAND", f"{program} -o User=organiser")
    fake = FakeSsh(program)
    fake.fails_with(UNKNOWN_HOST)
    return fake


def one_line_error(err: str) -> str:
    assert "unexpected error" not in err and "Traceback" not in err
    assert err.strip().count("\n") == 0, err
    return err


# clone


@pytest.mark.parametrize("case", SSH_FAILURES)
def test_clone_over_ssh_says_which_failure(
    case: str, fake_ssh: FakeSsh, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stderr, phrases = SSH_FAILURES[case]
    fake_ssh.fails_with(stderr)
    code, _, err = run(capsys, "clone", ALIAS_URL, str(tmp_path / "riverton"))
    assert code == 1
    one_line_error(err)
    for phrase in phrases:
        assert phrase in err
    assert "nothing was cloned" in err or case in ("unknown host", "host key changed")
    assert not (tmp_path / "riverton").exists()
    assert "BatchMode=yes" in fake_ssh.argv and "ConnectTimeout=20" in fake_ssh.argv
    assert "User=organiser" in fake_ssh.argv  # the person's own ssh command, kept
    assert "/srv/git/riverton.git" in fake_ssh.argv[-1]


def test_a_changed_host_key_is_never_accepted(fake_ssh: FakeSsh, tmp_path: Path) -> None:
    fake_ssh.fails_with(CHANGED_HOST_KEY)
    with pytest.raises(HostKeyChanged) as raised:
        clone(ALIAS_URL, tmp_path / "riverton")
    text = str(raised.value)
    assert "intercepting" in text and "answer yes" not in text
    assert "StrictHostKeyChecking" not in " ".join(fake_ssh.argv)  # ssh's own strict default stays


def test_unknown_host_with_a_port_says_how_to_check_it(fake_ssh: FakeSsh, tmp_path: Path) -> None:
    with pytest.raises(remote.HostKeyUnknown, match=r"run `ssh -p 2222 riverton\.example` once"):
        clone("ssh://git@riverton.example:2222/srv/riverton.git", tmp_path / "riverton")
    assert fake_ssh.argv[:5] == ["-o", "BatchMode=yes", "-o", "ConnectTimeout=20", "-o"]


def test_no_repository_at_that_path_on_the_server(fake_ssh: FakeSsh, tmp_path: Path) -> None:
    fake_ssh.fails_with("fatal: '/srv/git/nope.git' does not appear to be a git repository\n", code=128)
    with pytest.raises(remote.RemoteUnreachable, match=r"no shared repository at myserver:/srv/git/nope\.git"):
        clone("myserver:/srv/git/nope.git", tmp_path / "riverton")
    assert not (tmp_path / "riverton").exists()


def test_core_ssh_command_is_used_with_batch_mode(
    fake_ssh: FakeSsh, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GIT_SSH_COMMAND")
    git(tmp_path, "config", "--global", "core.sshCommand", f"{fake_ssh.program} -i ~/.ssh/riverton_key")
    with pytest.raises(remote.HostKeyUnknown):
        clone(ALIAS_URL, tmp_path / "riverton")
    argv = fake_ssh.argv
    assert argv[:4] == ["-o", "BatchMode=yes", "-o", "ConnectTimeout=20"]
    assert argv[argv.index("-i") + 1].endswith("/.ssh/riverton_key")  # the shell still expands ~


def test_a_wrapper_ssh_command_gets_the_options_at_the_end() -> None:
    assert remote.ssh_command("/usr/bin/ssh -F cfg") == "/usr/bin/ssh -o BatchMode=yes -o ConnectTimeout=20 -F cfg"
    assert remote.ssh_command("tsocks myssh") == "tsocks myssh -o BatchMode=yes -o ConnectTimeout=20"
    assert remote.ssh_command("") == "ssh -o BatchMode=yes -o ConnectTimeout=20"


def test_a_hanging_clone_is_stopped_and_leaves_nothing(
    fake_ssh: FakeSsh, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_ssh.hangs()
    monkeypatch.setattr(remote, "CLONE_TIMEOUT", 1)
    with pytest.raises(remote.RemoteUnreachable, match="took too long"):
        clone(ALIAS_URL, tmp_path / "deep" / "er" / "riverton")
    assert not (tmp_path / "deep").exists()


def test_clone_into_a_folder_with_something_in_it_is_refused(
    shared: Shared, capsys: pytest.CaptureFixture[str]
) -> None:
    target = shared.tmp / "dan"
    target.mkdir()
    (target / "notes.txt").write_text("mine\n")
    code, _, err = run(capsys, "clone", str(shared.remote), str(target))
    assert code == 1 and "exists and is not an empty folder" in one_line_error(err)
    assert [p.name for p in target.iterdir()] == ["notes.txt"]


def test_clone_of_a_wrong_path_is_one_line_and_leaves_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "clone", str(tmp_path / "nowhere.git"), str(tmp_path / "a" / "riverton"))
    assert code == 1 and "cannot be reached" in one_line_error(err) and "nothing was cloned" in err
    assert not (tmp_path / "a").exists()


def test_a_failed_clone_can_be_retried_into_the_same_folder(shared: Shared, capsys: pytest.CaptureFixture[str]) -> None:
    target = shared.tmp / "dan"
    target.mkdir()  # an empty folder made beforehand stays, still empty
    assert run(capsys, "clone", str(shared.tmp / "typo.git"), str(target))[0] == 1
    assert target.is_dir() and not any(target.iterdir())
    code, out, err = run(capsys, "clone", str(shared.remote), str(target))
    assert code == 0, err
    assert (target / "groups" / "st-marys.toml").is_file() and "cloned into" in out


def test_clone_of_an_empty_shared_repo_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.git"
    git(tmp_path, "init", "-q", "--bare", str(empty))
    code, _, err = run(capsys, "clone", str(empty), str(tmp_path / "riverton"))
    assert code == 1 and "is empty" in one_line_error(err) and f"allytui publish {empty}" in err
    assert not (tmp_path / "riverton").exists()


def test_clone_of_a_repo_that_is_not_allytui_data_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "other"
    git(tmp_path, "init", "-q", str(other))
    (other / "README").write_text("not ours\n")
    git(other, "add", "README")
    git(other, "commit", "-qm", "x")
    code, _, err = run(capsys, "clone", str(other), str(tmp_path / "riverton"))
    assert code == 1 and "not allytui data" in one_line_error(err)
    assert not (tmp_path / "riverton").exists()


def test_clone_accepts_file_urls(shared: Shared) -> None:
    repo = clone(f"file://{shared.remote}", shared.tmp / "dan")
    assert (repo.root / "groups" / "st-marys.toml").is_file()


def test_clone_never_shows_credentials(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = "https://ana%40example.org:s3cret-token@127.0.0.1:1/riverton.git"  # nothing listens on port 1
    code, _, err = run(capsys, "clone", url, str(tmp_path / "riverton"))
    assert code == 1 and "refused the connection on port 1" in one_line_error(err)
    assert "s3cret" not in err and "example.org" not in err and "ana" not in err
    assert shown(url) == "https://127.0.0.1:1/riverton.git"


# sync over ssh


@pytest.mark.parametrize("case", SSH_FAILURES)
def test_sync_over_ssh_says_which_failure_and_keeps_commits(
    case: str, fake_ssh: FakeSsh, shared: Shared, capsys: pytest.CaptureFixture[str]
) -> None:
    stderr, phrases = SSH_FAILURES[case]
    fake_ssh.fails_with(stderr)
    ben = shared.ben
    edit(ben, influence=4)
    head = git(ben.root, "rev-parse", "HEAD")
    git(ben.root, "remote", "set-url", "origin", ALIAS_URL)
    code, _, err = run(capsys, "--repo", str(ben.root), "sync", "--quiet")
    assert code == 1
    for phrase in phrases:
        assert phrase in one_line_error(err)
    assert git(ben.root, "rev-parse", "HEAD") == head
    assert "BatchMode=yes" in fake_ssh.argv and "User=organiser" in fake_ssh.argv


def test_sync_uses_the_repo_ssh_command(fake_ssh: FakeSsh, shared: Shared, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GIT_SSH_COMMAND")
    git(shared.ben.root, "config", "core.sshCommand", f"{fake_ssh.program} -p 2200")
    git(shared.ben.root, "remote", "set-url", "origin", ALIAS_URL)
    fake_ssh.fails_with(AUTH_REFUSED)
    with pytest.raises(remote.AccessRefused):
        sync(shared.ben)
    assert fake_ssh.argv[:5] == ["-o", "BatchMode=yes", "-o", "ConnectTimeout=20", "-p"]


# stale locks left by an interrupted push


@pytest.mark.parametrize("lock", ["refs/heads/main.lock", "HEAD.lock"])
def test_a_stale_lock_in_the_shared_repo_is_named(
    lock: str, shared: Shared, capsys: pytest.CaptureFixture[str]
) -> None:
    ben = shared.ben
    edit(ben, influence=4)
    stale = shared.remote / lock
    stale.touch()
    code, _, err = run(capsys, "--repo", str(ben.root), "sync", "--quiet")
    assert code == 1
    one_line_error(err)
    assert f"the shared repo at {shared.remote} has a stale lock file {stale} left by an interrupted push" in err
    assert "if no one is syncing right now, delete it" in err
    stale.unlink()
    assert sync(ben).pushed  # the commit waited here
    assert git(shared.remote, "rev-parse", "main") == git(ben.root, "rev-parse", "HEAD")


# addresses


@pytest.mark.parametrize(
    "url",
    [
        "myserver:/srv/git/riverton.git",
        "myserver:riverton.git",
        "ana@riverton.example:/srv/git/riverton.git",
        "git@example.org:org/riverton.git",
        "ssh://git@example.org:2222/srv/riverton.git",
        "https://example.org/riverton.git",
        "file:///media/usb/riverton.git",
        "/media/My USB/riverton.git",
        "../shared.git",
    ],
)
def test_common_safe_addresses_are_accepted(url: str) -> None:
    assert check_remote_url(url) == url


@pytest.mark.parametrize(
    "url",
    [
        "ext::sh -c touch% /tmp/pwned",
        "-oProxyCommand=touch /tmp/pwned",
        "--upload-pack=touch /tmp/pwned",
        "ssh://-oProxyCommand=touch%20x/srv/r.git",
        "ssh://-user@example.org/r.git",
        "ssh://example.org/r.git -oProxyCommand=x",
        "-myserver:/srv/r.git",
        "myserver:--upload-pack=x",
        "myserver://srv/r.git",
        "file://otherhost/srv/r.git",
        "git://example.org/r.git",
        "my server:/srv/r.git",
        "a::b",
        "myserver:/srv/r.git\n-oProxyCommand=x",
    ],
)
def test_addresses_that_could_run_a_command_are_refused(url: str) -> None:
    with pytest.raises(SyncError, match="refusing"):
        check_remote_url(url)


# hostile configuration


def test_clone_refuses_a_global_insteadof_that_rewrites_to_ext(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    marker = tmp_path / "pwned"
    git(tmp_path, "config", "--global", f"url.ext::sh -c touch% {marker} .insteadOf", "myserver:")
    code, _, err = run(capsys, "clone", ALIAS_URL, str(tmp_path / "riverton"))
    assert code == 1 and "refusing" in one_line_error(err)
    assert not marker.exists() and not (tmp_path / "riverton").exists()


@pytest.mark.parametrize(
    "setting",
    [
        ("url.ext::sh -c touch% {marker} .pushInsteadOf", "{remote}"),
        ("url.ext::sh -c touch% {marker} .insteadOf", "{remote}"),
        ("remote.origin.pushurl", "ext::sh -c touch% {marker}"),
        ("remote.origin.uploadpack", "touch {marker}; git-upload-pack"),
        ("remote.origin.receivepack", "touch {marker}; git-receive-pack"),
    ],
)
def test_sync_refuses_configuration_that_would_run_a_command(
    setting: tuple[str, str], shared: Shared, capsys: pytest.CaptureFixture[str]
) -> None:
    marker = shared.tmp / "pwned"
    key, value = (part.format(marker=marker, remote=shared.remote) for part in setting)
    ben = shared.ben
    edit(ben, influence=4)
    before = git(shared.remote, "rev-parse", "main")
    git(ben.root, "config", key, value)
    code, _, err = run(capsys, "--repo", str(ben.root), "sync", "--quiet")
    assert code == 1 and "refusing" in one_line_error(err)
    assert not marker.exists()
    assert git(shared.remote, "rev-parse", "main") == before


# a real ssh server, when this machine has one


@dataclass
class SshServer:
    folder: Path
    port: int
    config: Path  # an ssh_config with the alias "myserver"

    def ssh_command(self) -> str:
        return f"ssh -F {self.config}"


def start_sshd(tmp_path: Path) -> SshServer:
    import shutil
    import socket
    import subprocess
    import time

    sshd_program = shutil.which("sshd") or ("/usr/sbin/sshd" if Path("/usr/sbin/sshd").exists() else None)
    if sshd_program is None or shutil.which("ssh-keygen") is None:
        pytest.skip("no sshd on this machine")
    folder = tmp_path / "sshd"
    folder.mkdir()
    for name in ("hostkey", "userkey", "otherkey"):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(folder / name)], check=True)
    (folder / "authorized_keys").write_text((folder / "userkey.pub").read_text())
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    (folder / "sshd_config").write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {folder / 'hostkey'}\n"
        f"AuthorizedKeysFile {folder / 'authorized_keys'}\nPasswordAuthentication no\n"
        f"KbdInteractiveAuthentication no\nStrictModes no\nUsePAM no\nPidFile {folder / 'sshd.pid'}\n"
        f"SetEnv PATH={os.environ.get('PATH', '/usr/bin:/bin')}\n"
    )
    if os.geteuid() == 0:
        Path("/run/sshd").mkdir(exist_ok=True)  # sshd's privilege separation needs it
    started = subprocess.run(
        [sshd_program, "-f", str(folder / "sshd_config"), "-E", str(folder / "log")], capture_output=True
    )
    if started.returncode != 0:
        pytest.skip(f"sshd does not start here: {started.stderr.decode(errors='replace').strip()}")
    user = subprocess.run(["id", "-un"], capture_output=True, text=True, check=True).stdout.strip()
    config = folder / "ssh_config"
    config.write_text(
        f"Host myserver\n  HostName 127.0.0.1\n  Port {port}\n  User {user}\n  IdentityFile {folder / 'userkey'}\n"
        f"  IdentitiesOnly yes\n  UserKnownHostsFile {folder / 'known_hosts'}\n"
    )
    for _ in range(50):
        if (folder / "sshd.pid").exists():
            break
        time.sleep(0.1)
    return SshServer(folder, port, config)


@pytest.fixture
def real_sshd(tmp_path: Path) -> Iterator[SshServer]:
    server = start_sshd(tmp_path)
    yield server
    pid = (server.folder / "sshd.pid").read_text().strip()
    os.kill(int(pid), 15)


def test_real_ssh_unknown_host_then_accepted_then_changed(
    real_sshd: SshServer, shared: Shared, monkeypatch: pytest.MonkeyPatch
) -> None:
    import subprocess

    monkeypatch.setenv("GIT_SSH_COMMAND", real_sshd.ssh_command())
    url = f"myserver:{shared.remote}"
    with pytest.raises(remote.HostKeyUnknown, match="run `ssh myserver` once in a terminal"):
        clone(url, shared.tmp / "dan")
    keys = subprocess.run(
        ["ssh-keyscan", "-p", str(real_sshd.port), "127.0.0.1"], capture_output=True, text=True, check=True
    )
    (real_sshd.folder / "known_hosts").write_text(keys.stdout)
    dan = clone(url, shared.tmp / "dan")  # an ssh-config alias with an absolute path
    assert (dan.root / "groups" / "st-marys.toml").is_file()
    git(dan.root, "config", "user.name", "Dan")
    edit(dan, influence=2)
    assert sync(dan).pushed

    config = real_sshd.folder / "ssh_config"
    config.write_text(config.read_text().replace("userkey", "otherkey"))
    with pytest.raises(remote.AccessRefused, match="refused your ssh key"):
        sync(dan)

    other = (real_sshd.folder / "otherkey.pub").read_text().split()[1]  # a key the server does not have
    (real_sshd.folder / "known_hosts").write_text(" ".join([*keys.stdout.split()[:2], other]) + "\n")
    with pytest.raises(HostKeyChanged, match="man-in-the-middle"):
        sync(dan)
    assert (real_sshd.folder / "known_hosts").read_text().split()[2] == other  # never accepted


def test_a_stale_lock_in_this_data_repo_is_named(shared: Shared, capsys: pytest.CaptureFixture[str]) -> None:
    edit(shared.ana, influence=3)
    sync(shared.ana)
    stale = shared.ben.root / ".git" / "refs" / "remotes" / "origin" / "main.lock"
    stale.touch()
    code, _, err = run(capsys, "--repo", str(shared.ben.root), "sync", "--quiet")
    assert code == 1
    assert f"this data repo has a stale lock file {stale} left by an interrupted" in one_line_error(err)
    stale.unlink()
    sync(shared.ben)
    assert git(shared.ben.root, "rev-parse", "HEAD") == git(shared.remote, "rev-parse", "main")


def test_hooks_in_a_shared_folder_do_not_run_on_push(shared: Shared) -> None:
    marker = shared.tmp / "pwned"
    for hook in ("pre-receive", "update", "post-receive", "post-update", "reference-transaction"):
        path = shared.remote / "hooks" / hook
        path.write_text(f"#!/bin/sh\necho {hook} >> {marker}\n")
        path.chmod(0o755)
    edit(shared.ben, influence=4)
    assert sync(shared.ben).pushed
    assert not marker.exists()
    assert git(shared.remote, "rev-parse", "main") == git(shared.ben.root, "rev-parse", "HEAD")


def test_clone_when_the_shared_repo_head_names_another_branch(tmp_path: Path) -> None:
    shared_repo = tmp_path / "shared.git"
    git(tmp_path, "-c", "init.defaultBranch=master", "init", "-q", "--bare", str(shared_repo))  # HEAD: master
    ana = DataRepo.init(tmp_path / "ana", name="Riverton")
    git(ana.root, "remote", "add", "origin", str(shared_repo))
    assert sync(ana).pushed  # pushes main
    ben = clone(str(shared_repo), tmp_path / "ben")
    assert git(ben.root, "rev-parse", "--abbrev-ref", "HEAD").strip() == "main"
    assert git(ben.root, "rev-parse", "HEAD") == git(ana.root, "rev-parse", "HEAD")
    assert sync(ben).nothing_to_push


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://ana%40example.org:tok@example.org/r.git", "https://example.org/r.git"),
        ("ssh://ana@example.org:2222/srv/r.git", "ssh://example.org:2222/srv/r.git"),
        ("ana@example.org:/srv/r.git", "example.org:/srv/r.git"),
        ("/media/usb/ana@home/r.git", "/media/usb/ana@home/r.git"),
    ],
)
def test_addresses_in_messages_carry_no_user_or_password(url: str, expected: str) -> None:
    assert shown(url) == expected
