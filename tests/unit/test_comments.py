"""Hand-written comments survive the app's rewrites, beside the keys they were written for."""

from __future__ import annotations

import tomllib

from allytui.store.comments import carry_comments, comment_lines

OLD = '''# Who they are, from the 2025 audit
name = "St Mary's # not a comment"  # the parish, not the school
stage = "contacted"
tags = [
    "faith", # the first tag
    "hall",
]
notes = """
Line one # still text, not a comment
"""
# about to go
influence = 3

[contact]
# office hours only
email = "office@example.org"
# closing remark
'''

NEW = '''name = "St Mary's # not a comment"
stage = "in_conversation"
tags = [
    "faith",
    "hall",
    "food",
]
notes = """
Line one # still text, not a comment
"""

[contact]
email = "office@example.org"
'''


def test_comment_lines_skip_hashes_inside_strings() -> None:
    assert comment_lines(OLD) == [1, 2, 5, 11, 15, 17]


def test_comments_go_back_beside_their_keys() -> None:
    text, dropped = carry_comments(OLD, NEW)
    assert text.splitlines() == [
        "# Who they are, from the 2025 audit",
        'name = "St Mary\'s # not a comment"  # the parish, not the school',
        'stage = "in_conversation"',
        "# the first tag",
        "tags = [",
        '    "faith",',
        '    "hall",',
        '    "food",',
        "]",
        'notes = """',
        "Line one # still text, not a comment",
        '"""',
        "",
        "[contact]",
        "# office hours only",
        'email = "office@example.org"',
        "# closing remark",
    ]
    assert dropped == [11]  # "about to go" belonged to influence, which is gone
    assert tomllib.loads(text) == tomllib.loads(NEW)


def test_no_comments_means_no_change() -> None:
    assert carry_comments(NEW, NEW) == (NEW, [])


def test_tricky_strings_do_not_confuse_the_scanner() -> None:
    old = 'a = "quote \\" # inside"  # real\nb = \'lit # eral\'\nc = """x""" # after\n'
    new = 'a = "quote \\" # inside"\nb = \'lit # eral\'\nc = "x"\n'
    text, dropped = carry_comments(old, new)
    assert dropped == []
    assert text == 'a = "quote \\" # inside"  # real\nb = \'lit # eral\'\nc = "x"  # after\n'
