"""The one masking module: which fields are sensitive, and contact details hidden in records, TOML and patches."""

from __future__ import annotations

import pytest

from allytui.model.changes import describe_change
from allytui.model.privacy import (
    HIDDEN,
    is_sensitive_path,
    mask_patch,
    mask_toml,
    patch_blob_ids,
    public_dump,
    sensitive_fields,
)
from allytui.model.records import FieldConflict, Group, Person

EMAIL = "ana.private@example.org"
PHONE = "07700 900461"
SECRETS = (EMAIL, PHONE, "14 Mill Lane", "ana.old@example.org")
CONTACT = frozenset({"contact"})


def leaks(text: str) -> list[str]:
    return [secret for secret in SECRETS if secret in text]


def test_only_a_persons_contact_is_sensitive() -> None:
    assert sensitive_fields(Person) == {"contact"}
    assert sensitive_fields(Group) == frozenset()
    assert is_sensitive_path(Person, "contact.email") and is_sensitive_path(Person, "contact")
    assert not is_sensitive_path(Person, "notes") and not is_sensitive_path(Person, "knows[0].how")


TABLE = f'''name = "Ana"
notes = """
Met at the fair.
"""

[contact]
email = "{EMAIL}"
phone = '{PHONE}'
address = """
Flat 2
14 Mill Lane
[rear entrance]
"""
# used to be ana.old@example.org

[[knows]]
person = "bob"
how = "choir"
'''


def test_a_contact_table_is_masked_line_for_line() -> None:
    masked = mask_toml(TABLE, CONTACT)
    assert len(masked) == len(TABLE.split("\n"))
    text = "\n".join(masked)
    assert leaks(text) == []
    assert f"email = {HIDDEN}" in masked and f"phone = {HIDDEN}" in masked and f"address = {HIDDEN}" in masked
    # the rest of the file is as it was, the [[knows]] table after a multi-line string included
    assert masked[:4] == TABLE.split("\n")[:4]
    assert masked[-4:] == ["[[knows]]", 'person = "bob"', 'how = "choir"', ""]
    assert "[contact]" in masked


@pytest.mark.parametrize(
    "text",
    [
        f'name = "Ana"\ncontact = {{ email = "{EMAIL}", phone = "{PHONE}" }}\n',
        f'name = "Ana"\ncontact.email = "{EMAIL}"\ncontact . phone = "{PHONE}"\n',
        f'name = "Ana"\n"contact".email = "{EMAIL}"\n\'contact\'.phone = "{PHONE}"\n',
        f'name = "Ana"\n[ contact ]\nemail = "{EMAIL}"\nphone = """{PHONE}"""\n',
        f'name = "Ana"\ncontact.address = """\n14 Mill Lane\n"""\ncontact.email = "{EMAIL}"\n',
        f'name = "Ana"\n"contact.email" = "{EMAIL}"\n["contact.x"]\nphone = "{PHONE}"\n',  # not valid, still hidden
    ],
)
def test_every_toml_form_of_contact_is_masked(text: str) -> None:
    masked = "\n".join(mask_toml(text, CONTACT))
    assert leaks(masked) == [] and 'name = "Ana"' in masked and HIDDEN in masked


def test_a_conflict_on_contact_details_hides_its_other_value_and_no_other() -> None:
    text = (
        'name = "Ana"\n\n[[conflicts]]\nfield = "stage"\nother = "\\"contacted\\""\n\n'
        f'[[conflicts]]\nfield = "contact.email"\nother = "\\"{EMAIL}\\""\nauthor = "Ben"\n\n'
        f'[[conflicts]]\nother = "\\"{PHONE}\\""\nfield = "contact.phone"\n'
    )
    masked = mask_toml(text, CONTACT)
    assert leaks("\n".join(masked)) == []
    assert 'other = "\\"contacted\\""' in masked and 'author = "Ben"' in masked


def test_a_sensitive_value_is_masked_wherever_else_it_appears() -> None:
    text = f'name = "Ana"\nnotes = "write to {EMAIL}"\n\n[contact]\nemail = "{EMAIL}"\n'
    assert leaks("\n".join(mask_toml(text, CONTACT))) == []
    # and values known from another version (the one before a change) too
    assert leaks("\n".join(mask_toml('notes = "ana.old@example.org"', CONTACT, values=["ana.old@example.org"]))) == []


def test_records_without_sensitive_fields_are_left_alone() -> None:
    assert mask_toml(TABLE, frozenset()) == TABLE.split("\n")


OLD = f'name = "Ana"\n\n[contact]\nemail = "ana.old@example.org"\nphone = "{PHONE}"\n'
NEW = f'name = "Ana"\n\n[contact]\nemail = "{EMAIL}"\nphone = "{PHONE}"\n'
PATCH = "\n".join(
    [
        "diff --git a/people/ana.toml b/people/ana.toml",
        "index 1111111..2222222 100644",
        "--- a/people/ana.toml",
        "+++ b/people/ana.toml",
        '@@ -2,4 +2,4 @@ name = "Ana"',
        " ",
        " [contact]",
        '-email = "ana.old@example.org"',
        '+email = "ana.private@example.org"',
        ' phone = "07700 900461"',
    ]
)


def test_a_git_patch_is_masked_from_the_files_it_compares() -> None:
    blobs = {"1111111": OLD.encode(), "2222222": NEW.encode()}
    assert patch_blob_ids(PATCH) == {"1111111", "2222222"}
    masked = mask_patch(PATCH, blobs, CONTACT)
    assert leaks(masked) == []
    lines = masked.split("\n")
    assert lines[4] == "@@ -2,4 +2,4 @@"  # git's nearby-line hint is left out: it may be a contact line
    assert lines[5:] == [" ", " [contact]", f"-email = {HIDDEN}", f"+email = {HIDDEN}", f" phone = {HIDDEN}"]
    assert mask_patch(PATCH, blobs, frozenset()) == PATCH


def test_a_patch_whose_files_cannot_be_read_hides_every_line() -> None:
    masked = mask_patch(PATCH, {}, CONTACT)
    assert leaks(masked) == [] and masked.split("\n")[6] == " " + HIDDEN


def test_public_dump_leaves_out_contact_and_its_conflict_values() -> None:
    person = Person(
        id="ana",
        name="Ana",
        contact={"email": EMAIL, "phone": PHONE},
        conflicts=[
            FieldConflict(field="contact.phone", other=f'"{PHONE}1"', author="Ben"),
            FieldConflict(field="role", other='"vicar"'),
        ],
    )
    hidden = public_dump(person, reveal=False)
    assert "contact" not in hidden and leaks(str(hidden)) == []
    assert [c["other"] for c in hidden["conflicts"]] == [HIDDEN, '"vicar"']
    shown = public_dump(person, reveal=True)
    assert shown["contact"]["email"] == EMAIL and shown["conflicts"][0]["other"] == f'"{PHONE}1"'


def test_commit_messages_never_carry_contact_details() -> None:
    before = Person(id="ana", name="Ana")
    after = Person(id="ana", name="Ana", contact={"email": EMAIL, "phone": PHONE})
    assert describe_change(before, after) == "person ana: contact"
    assert leaks(describe_change(after, before)) == []


def test_a_patch_of_a_deleted_file_and_blank_context_lines_are_masked_too() -> None:
    deleted = "\n".join(
        [
            "diff --git a/people/ana.toml b/people/ana.toml",
            "deleted file mode 100644",
            "index 2222222..0000000",
            "--- a/people/ana.toml",
            "+++ /dev/null",
            "@@ -1,5 +0,0 @@",
            '-name = "Ana"',
            "-",
            "-[contact]",
            f'-email = "{EMAIL}"',
            f'-phone = "{PHONE}"',
        ]
    )
    masked = mask_patch(deleted, {"2222222": NEW.encode()}, CONTACT)
    assert leaks(masked) == [] and masked.endswith(f"-email = {HIDDEN}\n-phone = {HIDDEN}")
    # git with diff.suppressBlankEmpty writes an empty context line without its space
    masked = mask_patch(PATCH.replace("\n \n", "\n\n"), {"1111111": OLD.encode(), "2222222": NEW.encode()}, CONTACT)
    assert leaks(masked) == [] and masked.split("\n")[-1] == f" phone = {HIDDEN}"
