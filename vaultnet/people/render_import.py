"""What `vaultnet import` prints for people: the notes created, the contacts already in the vault
with what they would add, the duplicates merged. Pure."""

from __future__ import annotations

from typing import Any

from vaultnet.people.importing import ImportPlan


def _value(value: Any) -> str:
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)


def import_text(plan: ImportPlan, folder: str, *, dry_run: bool) -> str:
    verb = "Would create" if dry_run else "Created"
    count = len(plan.created)
    lines = [f"{verb} {count} {'note' if count == 1 else 'notes'} in {folder or 'the vault'}/"]
    lines += [f"  {c.path}" for c in plan.created]
    if plan.matched:
        lines += [
            "",
            f"Already in the vault ({len(plan.matched)}; their notes are left as they are):",
        ]
        for m in plan.matched:
            adds = "; ".join(f"{k}: {_value(v)}" for k, v in m.would_add.items())
            lines.append(f"  {m.card.name} = {m.path}" + (f" (would add {adds})" if adds else ""))
    if plan.merged:
        lines += ["", f"Duplicates merged ({len(plan.merged)}):"]
        for card in plan.merged:
            lines.append(
                f"  {card.name}: {', '.join([f'{card.source}:{card.line}', *card.merged_from])}"
            )
    if plan.skipped:
        lines += ["", f"{len(plan.skipped)} skipped or left out (listed on stderr)."]
    return "\n".join(lines)
