"""The pure parts of `vaultnet import`: dates, tags, name forms, format detection, duplicates,
names and what a matched contact would add."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from vaultnet.addressbook.cards import as_tag, birthday_of, card_of, detect_format, plain
from vaultnet.addressbook.csv_cards import linkedin_date, outlook_date
from vaultnet.addressbook.importing import merge_duplicates, note_stem_for, person_of, plan_import
from vaultnet.addressbook.vcard import read_vcards

CASES = Path(__file__).parent / "cases" / "import"


@pytest.mark.parametrize(
    ("text", "omit", "expected"),
    [
        ("1985-04-15", False, "1985-04-15"),
        ("19850415", False, "1985-04-15"),
        ("1985-04-15T00:00:00Z", False, "1985-04-15"),
        ("--0415", False, "--04-15"),
        ("--04-15", False, "--04-15"),
        ("--0229", False, "--02-29"),
        ("1604-04-15", True, "--04-15"),
        ("1604-04-15", False, "--04-15"),  # Apple's placeholder year, even without the flag
        ("0000-04-15", False, "--04-15"),
        ("1985-02-30", False, None),
        ("--1332", False, None),
        ("sometime in May", False, None),
        ("", False, None),
    ],
)
def test_birthdays(text: str, omit: bool, expected: str | None) -> None:
    assert birthday_of(text, omit_year=omit) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3/14/1980", "1980-03-14"),
        ("14/3/1980", "1980-03-14"),  # only the day-first reading is a date
        ("1/2/85", "1985-01-02"),
        ("2/3/04", "2004-02-03"),
        ("1980-03-14", "1980-03-14"),
        ("13/13/1980", None),
    ],
)
def test_outlook_dates(text: str, expected: str | None) -> None:
    assert outlook_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("03 Dec 2026", dt.date(2026, 12, 3)),
        ("3 December 2026", dt.date(2026, 12, 3)),
        ("12/3/20", dt.date(2020, 12, 3)),
        ("Someday", None),
    ],
)
def test_linkedin_dates(text: str, expected: dt.date | None) -> None:
    assert linkedin_date(text) == expected


@pytest.mark.parametrize(
    ("label", "tag"),
    [
        ("Friends", "Friends"),
        ("Book Club", "Book-Club"),
        ("Rock & Roll", "Rock-Roll"),
        ("#already", "already"),
        ("Computing/Pioneers", "Computing/Pioneers"),
        ("2024", "y2024"),
        ("20-24", "y20-24"),
        ("Ünïcödé Group", "Ünïcödé-Group"),
        ("!!!", ""),
    ],
)
def test_labels_become_valid_tags(label: str, tag: str) -> None:
    assert as_tag(label) == tag


def test_plain_names_ignore_case_accents_and_spacing() -> None:
    assert plain("ZOË  Müller") == plain("zoe muller") == "zoe muller"
    assert plain("Siobhán O'Brien") == plain("siobhan o'brien")
    assert plain("Ann Lee") != plain("Anne Lee")


FORMATS = {
    "vcard3": "vcard",
    "vcard4": "vcard",
    "vcard21": "vcard",
    "google": "google",
    "google_old": "google",
    "outlook": "outlook",
    "linkedin": "linkedin",
}


@pytest.mark.parametrize(("case", "kind"), sorted(FORMATS.items()))
def test_formats_are_detected_from_the_content(case: str, kind: str) -> None:
    (source,) = [p for p in (CASES / case).iterdir() if p.is_file() and p.suffix != ".json"]
    text = source.read_bytes().decode("utf-8", errors="replace")
    assert detect_format(text) == kind


def test_not_contacts_is_no_format() -> None:
    assert detect_format("# A note\n\nWith, some, commas, in it\n") is None
    assert detect_format("") is None


def test_two_people_of_one_name_with_different_emails_stay_two() -> None:
    cards = [
        card_of("a.csv", 2, "John Smith", emails=["john@one.example"], company="One"),
        card_of("a.csv", 3, "John Smith", emails=["john@two.example"], company="Two"),
        card_of("a.csv", 4, "JOHN SMITH", phones=["+1 555 0100"]),  # no email: joins the first
        card_of("a.csv", 5, "Johnny Smith", emails=["JOHN@two.example"]),  # the second's email
    ]
    merged = merge_duplicates(cards)
    assert [(c.name, c.emails, c.phones, c.merged_from) for c in merged] == [
        ("John Smith", ("john@one.example",), ("+1 555 0100",), ("a.csv:4",)),
        ("John Smith", ("john@two.example",), (), ("a.csv:5",)),
    ]
    assert merged[1].aliases == ("Johnny Smith",)
    plan = plan_import(merged, [], [], set(), "People")
    assert [c.path for c in plan.created] == ["People/John Smith.md", "People/John Smith (Two).md"]
    assert plan.created[1].text.startswith("---\naliases:\n  - John Smith\n")


def test_names_unsafe_or_taken_get_a_stable_variant() -> None:
    taken = {"apple", "con_"}
    assert note_stem_for(card_of("f", 1, "Apple"), taken) == "Apple (2)"
    assert note_stem_for(card_of("f", 1, "Apple", company="Fruit Co"), taken) == "Apple (Fruit Co)"
    assert note_stem_for(card_of("f", 1, "CON"), taken) == "CON_ (2)"  # a Windows device
    assert note_stem_for(card_of("f", 1, "a/b: c?"), taken) == "a-b- c-"
    assert note_stem_for(card_of("f", 1, "Trailing dot."), taken) == "Trailing dot"
    assert {"apple (2)", "apple (fruit co)", "con_ (2)", "a-b- c-"} <= taken


def test_a_matched_contact_reports_only_what_the_note_lacks() -> None:
    person = person_of(
        "People/Jürgen Müller.md",
        "Jürgen Müller",
        ["JM"],
        {"email": "JUERGEN@example.de", "phones": ["+49 (170) 1234567"], "tags": ["#friends"]},
    )
    card = card_of(
        "b.vcf",
        1,
        "Jurgen Muller",
        aliases=["Jay"],
        emails=["juergen@example.de", "jm@example.org"],
        phones=["+49 170 1234567", "030 555"],
        tags=["Friends", "Bakers"],
        company="Bäckerei",
    )
    plan = plan_import([card], [], [person], set(), "People")
    assert plan.created == ()
    (match,) = plan.matched
    assert match.path == "People/Jürgen Müller.md"
    assert match.would_add == {
        "aliases": ["Jay"],
        "emails": ["jm@example.org"],
        "phones": ["030 555"],
        "company": "Bäckerei",
        "tags": ["Bakers"],
    }


def test_vcard_structure_problems_are_reported_at_their_lines() -> None:
    text = (
        "\ufeffBEGIN:VCARD\nVERSION:3.0\nFN:First\nEND:VCARD\n"  # 1-4, with a BOM
        "stray text\n"  # 5
        "BEGIN:VCARD\nVERSION:3.0\nFN:Unclosed\n"  # 6-8
        "BEGIN:VCARD\nVERSION:3.0\nEMAIL:only@mail.example\nEND:VCARD\n"  # 9-12
        "BEGIN:VCARD\nFN;CHARSET=NO-SUCH-CHARSET;ENCODING=QUOTED-PRINTABLE:=C3=A9\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nFN:Last\n"  # 16-18, the file ends
    )
    cards, skipped = read_vcards(text, "book.vcf")
    assert [c.name for c in cards] == ["First"]
    assert [str(s) for s in skipped] == [
        "book.vcf:5: text outside a BEGIN:VCARD card; skipped",
        "book.vcf:6: card has no END:VCARD; skipped",
        "book.vcf:9: card has no name (FN, N or ORG; only an email or a phone); skipped",
        "book.vcf:14: malformed card line (unknown encoding: NO-SUCH-CHARSET); card skipped",
        "book.vcf:16: card has no END:VCARD; skipped",
    ]
