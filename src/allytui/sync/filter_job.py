"""The history rewrite of an erasure, run by git-filter-repo in a process of its own.

Run as `python -m allytui.sync.filter_job` in the data repo, with a JSON spec on standard input (never on
disk: it holds the erased person's name and contact details): {"paths": [...], "terms": {...}}. Every ref's
history loses those paths, and every blob, commit message, author and committer loses the terms.
filter-repo is driven as a library here, for the callbacks, but in its own process: it changes the working
directory and exits the process on errors, which must not happen inside the app.
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any

import git_filter_repo as fr

from allytui.model.erasure import ERASED, ERASED_ID, Terms, id_pattern, mention_pattern, might_mention

ERASED_EMAIL = b"erased@erased.invalid"


def options(paths: list[str]) -> Any:
    """filter-repo's options: all refs, no origin juggling, reflogs and gc left to the caller, no replace refs."""
    args = ["--force", "--partial", "--quiet", "--proceed", "--replace-refs", "delete-no-add"]
    for path in paths:
        args += ["--path", path]
    if paths:
        args.append("--invert-paths")
    return fr.FilteringOptions.parse_args(args)


def _sub(pattern: re.Pattern[str] | None, data: bytes, replacement: str) -> bytes:
    if pattern is None:
        return data
    text = data.decode("utf-8", "surrogateescape")
    new = pattern.sub(replacement, text)
    return data if new == text else new.encode("utf-8", "surrogateescape")


def run(spec: dict[str, Any]) -> None:
    terms = Terms.from_json(spec["terms"])
    mentions, quoted_ids = mention_pattern(terms), id_pattern(terms)
    tokens = (
        re.compile("|".join(rf"(?<![\w-]){re.escape(i)}(?![\w-])" for i in sorted(terms.ids))) if terms.ids else None
    )
    emails = {email.lower().encode() for email in terms.emails}

    def blob(blob: Any, _metadata: Any) -> None:
        if might_mention(terms, blob.data.decode("utf-8", "surrogateescape")):  # the regexes only where needed
            blob.data = _sub(quoted_ids, _sub(mentions, blob.data, ERASED), f'"{ERASED_ID}"')

    def who(name: bytes, email: bytes) -> tuple[bytes, bytes]:
        new_name = _sub(mentions, name, ERASED)
        erased = new_name != name or email.lower() in emails
        return new_name, ERASED_EMAIL if erased else email

    def commit(commit: Any, _metadata: Any) -> None:
        commit.message = _sub(tokens, _sub(mentions, commit.message, ERASED), ERASED)
        commit.author_name, commit.author_email = who(commit.author_name, commit.author_email)
        commit.committer_name, commit.committer_email = who(commit.committer_name, commit.committer_email)

    def tag(tag: Any, _metadata: Any) -> None:
        tag.message = _sub(tokens, _sub(mentions, tag.message, ERASED), ERASED)
        if tag.tagger_name is not None:
            tag.tagger_name, tag.tagger_email = who(tag.tagger_name, tag.tagger_email)

    fr.RepoFilter(options(spec["paths"]), blob_callback=blob, commit_callback=commit, tag_callback=tag).run()


if __name__ == "__main__":
    run(json.loads(sys.stdin.read()))
