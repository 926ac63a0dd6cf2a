"""The pure parts of `vaultnet import`: dates, tags, name forms, format detection, line unfolding
and binary values (in linear time), duplicates and namesakes, blank rows, free text, names, what a
matched contact would add and which notes can be adopted."""

from __future__ import annotations

import base64
import datetime as dt
import random
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from vobject.base import getLogicalLines

from vaultnet.addressbook.adopting import OtherNote, claim_same_names, refusal
from vaultnet.addressbook.card_note import note_text
from vaultnet.addressbook.cards import (
    as_tag,
    birthday_of,
    card_of,
    detect_format,
    plain,
    profile_key,
)
from vaultnet.addressbook.csv_cards import linkedin_date, outlook_date, read_csv_cards
from vaultnet.addressbook.importing import (
    merge_cards,
    merge_duplicates,
    note_stem_for,
    person_of,
    plan_import,
)
from vaultnet.addressbook.vcard import logical_lines, read_vcards

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
        ("20-24", "20-24"),  # `-` is not a digit: already a tag (issue 23)
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


LINE_PIECES = st.sampled_from(
    ["FN:a", "N;ENCODING=QUOTED-PRINTABLE:x=", "quoted-", "PRINTABLE", "=", " ", "\t", "x",
     "\r\n", "\n", "\r", "NOTE:y\\, z", ";", ":", "\u2028", "\x0b", "\ufeff"]
)  # fmt: skip


class _Reader:
    def __init__(self, text: str) -> None:
        self._lines = iter(text.splitlines(keepends=True))

    def readline(self) -> str:
        return next(self._lines, "")


@settings(max_examples=400)
@given(st.lists(LINE_PIECES, max_size=30))
def test_lines_unfold_as_vobjects_reader_unfolds_them(pieces: list[str]) -> None:
    """`logical_lines` is vobject's `getLogicalLines` (folds, quoted-printable soft breaks, blank
    lines) in linear time, with each line's real number (vobject's are 0 for the first line and
    one short after a blank line)."""
    text = "".join(pieces)
    mine = list(logical_lines(text))
    without_bom = text.removeprefix("\ufeff")  # a BOM starts the file, not its first line
    assert [line for line, _ in mine] == [
        line for line, _ in getLogicalLines(_Reader(without_bom), allowQP=True)
    ]
    physical = [raw.rstrip("\r\n") for raw in without_bom.splitlines(keepends=True)]
    for line, number in mine:
        first = physical[number - 1]
        assert line.startswith(first) or (first[0] in " \t" and line.startswith(first[1:]))


def test_binary_values_are_dropped_and_the_lines_after_them_keep_their_numbers() -> None:
    photo = "PHOTO;ENCODING=b;TYPE=JPEG:" + "A" * 48 + "".join(f"\r\n {'B' * 74}" for _ in range(3))
    text = "\r\n".join(
        [
            "BEGIN:VCARD",  # 1
            "VERSION:2.1",  # 2
            "FN:Teo",  # 3
            "PHOTO;ENCODING=BASE64;JPEG:QUJD",  # 4, 2.1: the data goes on unindented
            "REVG",  # 5
            "",  # 6, and ends with a blank line
            "item1.LOGO;ENCODING=b:QUJD",  # 7
            "X-OTHER;BASE64:QUJD",  # 8
            "KEY:data:application/pgp-keys;base64,QUJD",  # 9
            "SOUND;VALUE=uri:https://example.org/hello.ogg",  # 10
            photo,  # 11-14
            "EMAIL",  # 15: in vCard 3.0 style base64 this is a property line, malformed
            "NOTE:after the photo",  # 16
            "END:VCARD",  # 17
        ]
    )
    assert list(logical_lines(text)) == [
        ("BEGIN:VCARD", 1),
        ("VERSION:2.1", 2),
        ("FN:Teo", 3),
        ("EMAIL", 15),
        ("NOTE:after the photo", 16),
        ("END:VCARD", 17),
    ]
    _, skipped = read_vcards(text, "phone.vcf")
    assert [str(s) for s in skipped] == [
        "phone.vcf:15: malformed card line (Failed to parse line: EMAIL); card skipped"
    ]


def photo_card(megabytes: float) -> str:
    data = base64.b64encode(random.Random(23).randbytes(int(megabytes * 786_432))).decode()
    folded = "\r\n ".join(data[i : i + 74] for i in range(0, len(data), 74))
    return (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Mara Quint\r\n"
        f"PHOTO;ENCODING=b;TYPE=JPEG:{folded}\r\nEMAIL:mara@quint.example\r\nEND:VCARD\r\n"
    )


def read_time(text: str) -> float:
    start = time.process_time()
    cards, _ = read_vcards(text, "phone.vcf")
    seconds = time.process_time() - start
    assert [c.emails for c in cards] == [("mara@quint.example",)]
    return seconds


def test_a_photo_costs_time_in_proportion_to_its_size() -> None:
    """Issue 23: vobject unfolded a photo in quadratic time (1 MB 2.5 s, 30 MB over ten
    minutes). Twice the photo must take about twice the time (quadratic: four times). The time
    is this process's CPU time, which other processes on a busy machine do not add to, and the
    two sizes are timed in turns, the best of seven each."""
    two, four = photo_card(2), photo_card(4)
    times: dict[str, list[float]] = {"two": [], "four": []}
    for _ in range(7):
        times["two"].append(read_time(two))
        times["four"].append(read_time(four))
    ratio = min(times["four"]) / min(times["two"])
    assert ratio < 3.0, times


def unreadable_cards(equals: int, cards: int = 50) -> str:
    """Cards whose second line vobject cannot read: a parameter, then `equals` `=` and no `:`."""
    card = f"BEGIN:VCARD\nFN:Mara Quint\nNOTE;X{'=' * equals}\nEND:VCARD\n"
    return card * cards + "BEGIN:VCARD\nFN:Ann Lee\nEND:VCARD\n"


def test_a_line_vobject_cannot_read_is_malformed_at_once() -> None:
    """vobject's line pattern nests quantifiers: `NOTE;X` then 24 `=` took 2 s, three times as
    long for two more. Now such a line is found malformed before vobject reads it: 20 `=` cost
    about what 10 do (exponential: 243 times), CPU time, the best of three each."""
    cards, skipped = read_vcards(unreadable_cards(30, 1), "book.vcf")
    assert [c.name for c in cards] == ["Ann Lee"]
    assert [str(s) for s in skipped] == [
        f"book.vcf:3: malformed card line (Failed to parse line: NOTE;X{'=' * 30}); card skipped"
    ]
    times: dict[int, list[float]] = {10: [], 20: []}
    for _ in range(3):
        for equals, found in times.items():
            start = time.process_time()
            read_vcards(unreadable_cards(equals), "book.vcf")
            found.append(time.process_time() - start)
    assert min(times[20]) < 4 * min(times[10]), times


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("https://www.linkedin.com/in/Mara-Quint/", "linkedin.com/in/mara-quint"),
        ("http://de.linkedin.com/in/mara-quint?trk=abc#x", "linkedin.com/in/mara-quint"),
        ("linkedin.com/in/mara%2Dquint", "linkedin.com/in/mara-quint"),
        ("https://www.linkedin.com/in/jos%C3%A9", "linkedin.com/in/josé"),
        ("https://notlinkedin.com/in/mara-quint", "notlinkedin.com/in/mara-quint"),
    ],
)
def test_linkedin_profiles_are_compared_as_one_profile(url: str, key: str) -> None:
    assert profile_key(url) == key


@pytest.mark.parametrize(
    ("second", "merged"),
    [
        ({"linkedin": "https://www.linkedin.com/in/other-alex"}, False),
        ({"linkedin": "http://linkedin.com/in/ALEXKIM/"}, True),  # the same profile
        ({"emails": ["alex@two.example"]}, False),
        ({"emails": ["ALEX@one.example"], "linkedin": "https://linkedin.com/in/x"}, True),
        ({"company": "Other Co"}, True),  # nothing tells them apart
        ({"linkedin": "linkedin.com/in/other", "emails": ["alex@one.example"]}, True),
    ],
)
def test_namesakes_are_two_people_when_an_identity_differs(
    second: dict[str, Any], merged: bool
) -> None:
    first = card_of(
        "a.csv",
        2,
        "Alex Kim",
        emails=["alex@one.example"] if "emails" in second else [],
        linkedin="https://www.linkedin.com/in/alexkim" if "linkedin" in second else "",
    )
    cards = merge_duplicates([first, card_of("a.csv", 3, "Alex Kim", **second)])
    assert len(cards) == (1 if merged else 2)


def test_blank_rows_are_skipped_silently_nameless_ones_with_what_they_hold() -> None:
    linkedin = (
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        ",,,,,,\n"  # 2
        ",,,,,,14 Feb 2023\n"  # 3: LinkedIn dates every connection, even a hidden one
        "  , ,,,,,\n"  # 4
        "\n"  # 5
        ",,https://www.linkedin.com/in/x,,Acme,Founder,09 Sep 2019\n"  # 6
    )
    outlook = (
        "First Name,Last Name,E-mail Address,Mobile Phone,Birthday,Priority,Sensitivity,Notes\n"
        ",,,,0/0/00,Normal,Normal,\n"  # 2: Outlook's defaults only
        ",,,+1 555 0100,0/0/00,Normal,Normal,call back\n"  # 3
    )
    google = "First Name,Last Name,Labels,E-mail 1 - Value\n,,* myContacts,\n,,Friends,\n"
    assert [str(s) for s in read_csv_cards(linkedin, "c.csv", "linkedin")[1]] == [
        "c.csv:6: row has no name (only URL, Company, Position); skipped"
    ]
    assert [str(s) for s in read_csv_cards(outlook, "o.csv", "outlook")[1]] == [
        "o.csv:3: row has no name (only Mobile Phone, Notes); skipped"
    ]
    assert [str(s) for s in read_csv_cards(google, "g.csv", "google")[1]] == [
        "g.csv:3: row has no name (only Labels); skipped"
    ]


def test_free_text_is_kept_as_lines() -> None:
    card = card_of(
        "b.vcf",
        1,
        "Rosa",
        notes=["\r\n  First line  \r\n\r\n\r\nSecond\x00 line\rThird\t\n\n", "", "  Other  "],
    )
    assert card.notes == "  First line\n\nSecond line\nThird\n\n  Other"
    merged = merge_cards(card, card_of("b.vcf", 9, "Rosa", notes=["New"]))
    assert merged.notes == "  First line\n\nSecond line\nThird\n\n  Other\n\nNew"
    assert merge_cards(merged, card).notes == merged.notes  # the same text once
    assert note_text({}, merged.notes).startswith("First line\n\nSecond line\nThird\n")


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"", ""),
        (b"text\r\n", ""),
        (b"--- not a block\n", ""),
        (b"----\n", ""),
        (b"---\n", "it has properties already (tag it person, and an import says what it lacks)"),
        (
            b"--- \r\nx: 1\r\n---\r\n",
            "it has properties already (tag it person, and an import says what it lacks)",
        ),
        (b"\xef\xbb\xbftext", "it starts with a byte-order mark"),
        (b"caf\xe9", "it is not UTF-8 text"),
        (None, "is a symlink; vaultnet never writes through one"),
    ],
)
def test_only_a_note_without_properties_can_be_adopted(data: bytes | None, why: str) -> None:
    note = OtherNote(
        "Mara Quint.md", data, "is a symlink; vaultnet never writes through one", ("person",)
    )
    assert refusal(note) == why
    if not why:
        adoption, _ = claim_same_names([card_of("b.vcf", 1, "mara quint")], {
            "mara quint": note}, adopt=True).adopted[0], None  # fmt: skip
        newline = b"\r\n" if (data or b"").startswith(b"text\r") else b"\n"
        assert adoption.head.encode() == (
            b"---" + newline + b"aliases:" + newline + b"  - mara quint" + newline
            + b"tags:" + newline + b"  - person" + newline + b"---" + newline
        )  # fmt: skip
