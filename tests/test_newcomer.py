"""A newcomer's first hour, scripted as they would type it (the real program, as a subprocess, in
the vault's own folder): a fresh vault with only daily notes; `contacts`, `reconnect` and
`generate` on it, each saying what to do; the LinkedIn export and a phone's vCard imported (a
dry run first); `generate` again: the Reconnect page lists people, and a brief shows every
contact detail the import wrote. Every empty section on the way said what would fill it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from vaultnet.pages.write import FOOTER

TODAY = "2026-11-26"
LINKEDIN = """Notes:
"When exporting your connection data, you may notice that some of the email addresses are missing."

First Name,Last Name,URL,Email Address,Company,Position,Connected On
Mara,Quint,https://www.linkedin.com/in/maraquint,mara@northwind.example,Northwind,Head of Ops,14 Mar 2021
Kwame,Mensah,https://www.linkedin.com/in/kwame-mensah,kwame@mensah.example,Mensah & Partners,Partner,20 Nov 2026
,,,,,,03 Dec 2026
"""
VCARD = """BEGIN:VCARD
VERSION:3.0
N:Álvarez;José;;;
FN:José Álvarez
TEL;type=CELL:+34 600 123 456
EMAIL;type=HOME:jose@example.org
BDAY;X-APPLE-OMIT-YEAR=1604:1604-12-05
NOTE:Met at the Lisbon product meetup\\, loves climbing
END:VCARD
BEGIN:VCARD
VERSION:3.0
FN:Mara Quint
TEL;type=CELL:+44 7700 900123
EMAIL:mara@northwind.example
END:VCARD
"""
DAILY = {
    "2026-06-02": "- Lunch with [[Mara Quint]] about the Northwind pilot; she wants the\n  numbers by Friday.",
    "2026-07-14": "- Call with [[Mara Quint]].",
    "2026-09-01": "- Coffee with [[José Álvarez]], climbing in October?",
    "2026-09-20": "- [[Mara Quint]] sent the contract.",
    "2026-10-05": "- Climbing with [[José Álvarez]] and [[Ines Roth]].",
}


def vaultnet(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ}
    env.pop("VAULTNET_VAULT", None)
    done = subprocess.run(
        [sys.executable, "-m", "vaultnet", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, (args, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    return done


def page(vault: Path, name: str = "Reconnect") -> str:
    text = (vault / f"Vaultnet/{name}.md").read_text("utf-8")
    assert text.endswith(FOOTER)  # every page says what an edit does
    return text


def test_the_first_hour(tmp_path: Path) -> None:
    vault = tmp_path / "Notes"
    (vault / ".obsidian").mkdir(parents=True)
    (vault / ".obsidian/daily-notes.json").write_text('{"folder": "Daily"}', encoding="utf-8")
    for day, text in DAILY.items():
        (vault / "Daily").mkdir(exist_ok=True)
        (vault / f"Daily/{day}.md").write_text(text + "\n", encoding="utf-8")
    downloads = tmp_path / "Downloads"
    downloads.mkdir()
    (downloads / "Connections.csv").write_text(LINKEDIN, encoding="utf-8")
    (downloads / "contacts.vcf").write_text(VCARD, encoding="utf-8")

    # outside the vault, nothing is written anywhere
    refused = subprocess.run(
        [sys.executable, "-m", "vaultnet", "import", "Connections.csv"],
        cwd=downloads,
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if k != "VAULTNET_VAULT"},
    )
    assert refused.returncode == 1 and refused.stderr.startswith("Error: no vault here")
    assert sorted(p.name for p in downloads.iterdir()) == ["Connections.csv", "contacts.vcf"]

    # an empty start: every command says what makes a contact and how to get some
    contacts = vaultnet(vault / "Daily", "contacts").stdout
    assert contacts.startswith("No contacts yet.\n- A note is a contact when it is in a People/")
    assert "vaultnet import FILE... --dry-run" in contacts
    assert "3 names you link from dated notes have no note yet and look like people: " in contacts
    assert "Mara Quint (3 links), José Álvarez (2 links), Ines Roth (1 link)" in contacts
    reconnect = vaultnet(vault, "reconnect", "--today", TODAY).stdout
    assert "vaultnet create-people --dry-run" in reconnect
    vaultnet(vault, "generate", "--today", TODAY)
    empty = page(vault)
    assert "## Getting started" in empty and "`vaultnet import FILE... --dry-run`" in empty
    assert "no contacts yet" in empty

    # the address books, a dry run first
    books = [str(downloads / "Connections.csv"), str(downloads / "contacts.vcf")]
    before = sorted(p.relative_to(vault).as_posix() for p in vault.rglob("*.md"))
    dry = vaultnet(vault, "import", *books, "--dry-run").stdout
    assert dry.startswith(f"Would create 3 notes in People/ of the vault {vault}")
    assert sorted(p.relative_to(vault).as_posix() for p in vault.rglob("*.md")) == before
    done = json.loads(vaultnet(vault, "import", *books, "--json").stdout)
    assert done["vault"] == str(vault)
    assert sorted(c["path"] for c in done["created"]) == [
        "People/José Álvarez.md",
        "People/Kwame Mensah.md",
        "People/Mara Quint.md",
    ]
    assert [m["contact"] for m in done["merged"]] == ["Mara Quint"]  # one person, two books
    assert "Met at the Lisbon product meetup, loves climbing" in (
        vault / "People/José Álvarez.md"
    ).read_text("utf-8")

    # the page lists people now, with reasons in words and whole quotes
    written = vaultnet(vault, "generate", "--today", TODAY).stdout
    assert written.strip().endswith(f"in {vault}")
    reconnect_page = page(vault)
    assert "Suggestions for 2026-11-26: 2 people to get back in touch with, from 3 contacts." in (
        reconnect_page
    )
    # Mara is overdue (her rhythm is every 55 days); Kwame is new (connected 6 days ago); José
    # is within the default 90 days, and his birthday is coming
    for name in ("Mara Quint", "Kwame Mensah"):
        assert f"### [[{name}]]" in reconnect_page
    assert "- met on 2026-11-20, no contact recorded since\n" in reconnect_page
    assert (
        '"Lunch with Mara Quint about the Northwind pilot; she wants the numbers by Friday."'
        not in reconnect_page  # the last contact is quoted, not the first
    )
    assert '- last contact 67 days ago: [[2026-09-20]] "Mara Quint sent the contract."' in (
        reconnect_page
    )
    assert "## Upcoming dates\n\n- [[José Álvarez]]: birthday on 2026-12-05 (in 9 days)" in (
        reconnect_page
    )
    assert "Ines Roth" not in reconnect_page  # not a contact yet: no guide once there are some

    # the brief shows every detail the import wrote, found however the name is typed
    brief = vaultnet(vault, "brief", "jose alvarez", "--today", TODAY).stdout
    for detail in (
        "- email: jose@example.org",
        "- phone: +34 600 123 456",
        "- birthday: December 5 (year not known)",
    ):
        assert detail in brief, detail
    mara = vaultnet(vault, "brief", "People/Mara Quint.md", "--today", TODAY).stdout
    for detail in (
        "- company: Northwind",
        "- role: Head of Ops",
        "- met: 2021-03-14",
        "- email: mara@northwind.example",
        "- phone: +44 7700 900123",
        "- LinkedIn: https://www.linkedin.com/in/maraquint",
    ):
        assert detail in mara, detail
    assert (
        '"Lunch with Mara Quint about the Northwind pilot; she wants the numbers by Friday."'
        in mara  # a sentence wrapped over two lines, quoted whole
    )
