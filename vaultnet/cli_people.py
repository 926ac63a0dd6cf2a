"""The people commands of `vaultnet`: contacts, reconnect, brief, audience, touch, import and
network. Each is a few lines over `vaultnet.people` (network: `vaultnet.network`);
`vaultnet.cli` adds them to the command group."""

from __future__ import annotations

from typing import Any

import click

from vaultnet.cli_base import TODAY, Context, emit_json


@click.command()
@click.option("--today", type=TODAY, help="Date to judge contacts on (default: today).")
@click.option("--json", "as_json", is_flag=True, help="Print every contact as JSON.")
@click.option(
    "--vcf",
    "vcf",
    metavar="FILE|-",
    help="Write every contact as one vCard 3.0 file (`-`: to standard output).",
)
@click.pass_obj
def contacts(obj: Context, today: Any, as_json: bool, vcf: str | None) -> None:
    """Every contact: last interaction, cadence, status."""
    import datetime as dt

    from vaultnet.addressbook.vcf import contacts_vcf
    from vaultnet.people.contacts import contact_json
    from vaultnet.people.facts import people_facts
    from vaultnet.reconnect.render import contacts_text

    with obj.session() as vault:
        gathering = vault.gathering((today or dt.datetime.now()).date())
        people = gathering.facts(people_facts).people
        root = vault.index.root
    if people.problems:
        count = len(people.problems)
        click.echo(f"{count} unreadable values in people's notes: see `vaultnet doctor`", err=True)
    if vcf is not None:
        # click writes to a temp file and renames it: a failed export leaves the old file whole
        with click.open_file(vcf, "wb", atomic=vcf != "-") as out:
            out.write(contacts_vcf(people.contacts, root.resolve().name).encode("utf-8"))
        if vcf != "-":
            click.echo(f"{len(people.contacts)} contacts written to {vcf}", err=True)
        return
    if as_json:
        emit_json([contact_json(c) for c in people.contacts])
    else:
        click.echo(contacts_text(people.contacts))


@click.command()
@click.option("--today", type=TODAY, help="Date to suggest for (default: today).")
@click.option("--limit", type=click.IntRange(min=1), help="How many suggestions (default 10).")
@click.option("--json", "as_json", is_flag=True, help="Print the suggestions as JSON.")
@click.pass_obj
def reconnect(obj: Context, today: Any, limit: int | None, as_json: bool) -> None:
    """Whom to get back in touch with, why, and what to share with them."""
    import datetime as dt

    from vaultnet.people.reconnect import reconnect_plan
    from vaultnet.reconnect.render import plan_json, plan_text

    with obj.session() as vault:
        plan = reconnect_plan(vault.gathering((today or dt.datetime.now()).date()), limit)
    if as_json:
        emit_json(plan_json(plan))
    else:
        click.echo(plan_text(plan))


@click.command()
@click.argument("note")
@click.option(
    "-k", type=click.IntRange(min=1), default=5, show_default=True, help="How many people."
)
@click.option("--today", type=TODAY, help="Date to judge contacts on (default: today).")
@click.option("--json", "as_json", is_flag=True, help="Print the people as JSON.")
@click.pass_obj
def audience(obj: Context, note: str, k: int, today: Any, as_json: bool) -> None:
    """The people who would care about the idea NOTE, best first, and why."""
    import datetime as dt

    from vaultnet.index.queries import find_note
    from vaultnet.people.audience import audience_of

    with obj.session() as vault:
        path = find_note(vault.index, note)
        found = audience_of(vault.gathering((today or dt.datetime.now()).date()), path, k)
    rows = [
        {
            "path": f.contact.path,
            "name": f.contact.name,
            "score": f.score,
            "reasons": list(f.reasons),
            "status": f.contact.status,
        }
        for f in found
    ]
    if as_json:
        emit_json(rows)
        return
    if not found:
        click.echo(f"Nobody's interests match {path} yet (or it was shared with all of them).")
    for f in found:
        snoozed = " (snoozed)" if f.contact.status == "snoozed" else ""
        click.echo(f"{f.contact.name}{snoozed}: {'; '.join(f.reasons)}")


@click.command()
@click.argument("name")
@click.option("--today", type=TODAY, help="Date to brief for (default: today).")
@click.option("--json", "as_json", is_flag=True, help="Print the brief as JSON.")
@click.pass_obj
def brief(obj: Context, name: str, today: Any, as_json: bool) -> None:
    """Everything the vault knows about NAME before you call them, with the evidence."""
    import datetime as dt
    from functools import partial

    from vaultnet.people.brief import brief_named
    from vaultnet.reconnect.render_brief import brief_json, render_brief
    from vaultnet.vault.files import read_note_text

    with obj.session() as vault:
        read = partial(read_note_text, vault.index.root)
        found = brief_named(vault.gathering((today or dt.datetime.now()).date()), name, read)
    if as_json:
        emit_json(brief_json(found))
    else:
        click.echo(render_brief(found, None), nl=False)


@click.command()
@click.argument("name")
@click.option("--note", "text", help="What you talked about (after the link).")
@click.option("--date", "day", type=TODAY, help="Day of the contact (default: today).")
@click.option("--dry-run", is_flag=True, help="Show the line and the note; write nothing.")
@click.pass_obj
def touch(obj: Context, name: str, text: str | None, day: Any, dry_run: bool) -> None:
    """Log a contact with NAME (file name or alias) in that day's daily note."""
    import datetime as dt

    from vaultnet.reconnect.touch import touch as log_contact

    now = dt.datetime.now()
    with obj.session() as vault:
        result = log_contact(
            vault.gathering(now.date()),
            vault.index.root,
            name,
            day=(day or now).date(),
            note=text,
            now=now,
            dry_run=dry_run,
        )
    verb = "created" if result.create else "appended to"
    click.echo(f"{'would be ' if dry_run else ''}{verb} {result.path}: {result.line}")


def _vault_folder(value: str | None) -> str | None:
    """A vault-relative folder: not absolute, no `..` (a way out of the vault is a usage error)."""
    if value is None:
        return None
    parts = value.replace("\\", "/").split("/")
    if value.startswith(("/", "\\")) or ":" in parts[0] or ".." in parts:
        raise click.BadParameter(f"{value!r}: a folder inside the vault, such as People/Imported")
    return "/".join(p for p in parts if p not in ("", "."))


@click.command("import")
@click.argument("files", nargs=-1, required=True)
@click.option(
    "--folder",
    callback=lambda _ctx, _param, value: _vault_folder(value),
    help="Folder for the new notes, inside the vault (default: the people folder).",
)
@click.option(
    "--dry-run", is_flag=True, help="Show what would be created and matched; write nothing."
)
@click.option(
    "--adopt",
    is_flag=True,
    help="Write a contact's properties at the top of a note of yours that has its name and no "
    "properties (an empty note a clicked link made, say); nothing else in it changes.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the outcome as JSON.")
@click.pass_obj
def import_cmd(
    obj: Context,
    files: tuple[str, ...],
    folder: str | None,
    dry_run: bool,
    adopt: bool,
    as_json: bool,
) -> None:
    """Create a person note for each contact in vCard, Google, Outlook or LinkedIn FILES.

    Existing notes are never changed but by --adopt: a contact already in the vault is reported
    with what it would add. Exit status 1 when a file cannot be read at all (nothing written),
    or when writing fails (a full disk: what was written before is whole)."""
    import shlex
    from pathlib import Path

    from vaultnet.addressbook.importer import run_import
    from vaultnet.addressbook.importing import plan_json
    from vaultnet.addressbook.render_import import import_text

    with obj.session() as vault:
        sources = [(name, Path(name)) for name in files]
        result = run_import(
            vault.index, vault.settings, sources, folder=folder, dry_run=dry_run, adopt=adopt
        )
    for skipped in result.plan.skipped:
        click.echo(f"skipped {skipped}", err=True)
    if as_json:
        emit_json(plan_json(result.plan))
    else:
        given = ["--vault", str(obj.vault)] if obj.vault is not None else []
        where = ["--folder", folder] if folder is not None else []
        command = shlex.join(["vaultnet", *given, "import", *files, *where, "--adopt"])
        click.echo(import_text(result.plan, result.folder, dry_run=dry_run, adopt_command=command))
    if result.failure is not None:
        raise result.failure


@click.command()
@click.option("--today", type=TODAY, help="Date to count back from (default: today).")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.pass_obj
def network(obj: Context, today: Any, as_json: bool) -> None:
    """The network at a glance: contact per month, the mix reached, strongest and drifting ties."""
    import datetime as dt

    from vaultnet.network.page import network_figures
    from vaultnet.network.report import network_json, network_text

    with obj.session() as vault:
        figures = network_figures(vault.gathering((today or dt.datetime.now()).date()))
    if as_json:
        emit_json(network_json(figures))
    else:
        click.echo(network_text(figures))


PEOPLE_COMMANDS = [contacts, reconnect, audience, brief, touch, import_cmd, network]
