"""What `vaultnet import` prints for people: the notes created, the contacts already in the vault
with what they would add, the duplicates merged. Long lists are cut (`--json` has them all). Pure."""

from __future__ import annotations

from typing import Any

from vaultnet.addressbook.importing import ImportPlan

SHOWN = 50
"""Lines shown per list: an address book of thousands stays readable."""


NOTE_SHOWN = 60
"""Characters of a contact's note shown on its line."""


def _value(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(map(str, value))
    text = " ".join(str(value).split())  # a note's lines on one line
    return text if len(text) <= NOTE_SHOWN else text[: NOTE_SHOWN - 3].rstrip() + "..."


def _cut(lines: list[str]) -> list[str]:
    if len(lines) <= SHOWN:
        return lines
    return [*lines[:SHOWN], f"  ... and {len(lines) - SHOWN} more (--json lists them all)"]


def _notes(count: int) -> str:
    return f"{count} {'note' if count == 1 else 'notes'}"


def import_text(
    plan: ImportPlan, folder: str, *, dry_run: bool, adopt_command: str = "", vault: str = ""
) -> str:
    """The import as the terminal shows it; `adopt_command`: the command line that adopts the
    notes reported as named like a contact; `vault`: the vault's folder, named on the first
    line."""
    verb = "Would create" if dry_run else "Created"
    if vault:
        where = f"{folder}/ of the vault {vault}" if folder else f"the vault {vault}"
    else:
        where = f"{folder or 'the vault'}/"
    lines = [f"{verb} {_notes(len(plan.created))} in {where}"]
    lines += _cut([f"  {c.path}" for c in plan.created])
    if plan.adopted:
        verb = "Would adopt" if dry_run else "Adopted"
        lines += [
            "",
            f"{verb} {_notes(len(plan.adopted))} of yours (the contact's properties at the top;"
            " nothing else in the note changes):",
        ]
        lines += _cut([f"  {a.card.name} = {a.path}" for a in plan.adopted])
    if plan.same_name:
        lines += [
            "",
            f"Named as a note of yours that is not a person note ({len(plan.same_name)}; no"
            " second note made, as every link of that name goes to yours):",
        ]
        lines += _cut(
            [
                f"  {s.card.name} = {s.path}"
                + (f" (cannot be adopted: {s.why})" if s.why else " (empty)" if s.empty else "")
                for s in plan.same_name
            ]
        )
        if adopt_command and any(not s.why for s in plan.same_name):
            lines += [
                "To make them their contacts' notes (properties added at the top, nothing else"
                f" changed): {adopt_command}"
            ]
    if plan.matched:
        lines += [
            "",
            f"Already in the vault ({len(plan.matched)}; their notes are left as they are):",
        ]
        found = []
        for m in plan.matched:
            adds = "; ".join(f"{k}: {_value(v)}" for k, v in m.would_add.items())
            found.append(f"  {m.card.name} = {m.path}" + (f" (would add {adds})" if adds else ""))
        lines += _cut(found)
    if plan.merged:
        lines += ["", f"Duplicates merged ({len(plan.merged)}):"]
        lines += _cut(
            [
                f"  {card.name}: {', '.join([f'{card.source}:{card.line}', *card.merged_from])}"
                for card in plan.merged
            ]
        )
    if plan.skipped:
        lines += ["", f"{len(plan.skipped)} skipped or left out (listed on stderr)."]
    return "\n".join(lines)
