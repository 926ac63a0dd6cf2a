"""The people commands of `vaultnet`: contacts, reconnect, brief, audience, touch, import and
network. Each is a few lines over `vaultnet.people` (network: `vaultnet.network`);
`vaultnet.cli` adds them to the command group."""

from __future__ import annotations

from typing import Any

import click

from vaultnet.cli_base import TODAY, Context, emit_json, people_of


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
    from vaultnet.people.contacts import contact_json, load_contacts
    from vaultnet.reconnect.render import contacts_text

    with obj.index() as index:
        people = load_contacts(index.store, people_of(index), (today or dt.datetime.now()).date())
    if people.problems:
        count = len(people.problems)
        click.echo(f"{count} unreadable values in people's notes: see `vaultnet doctor`", err=True)
    if vcf is not None:
        # click writes to a temp file and renames it: a failed export leaves the old file whole
        with click.open_file(vcf, "wb", atomic=vcf != "-") as out:
            out.write(contacts_vcf(people.contacts, index.root.resolve().name).encode("utf-8"))
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

    from vaultnet.people.config import reconnect_config
    from vaultnet.people.reconnect import load_plan
    from vaultnet.reconnect.render import plan_json, plan_text

    with obj.index() as index:
        config = reconnect_config(index.config.section("reconnect"))
        day = (today or dt.datetime.now()).date()
        plan = load_plan(index.store, people_of(index), config, day, limit, index.settings)
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
    from vaultnet.people.audience import load_audience
    from vaultnet.people.config import reconnect_config

    with obj.index() as index:
        config = reconnect_config(index.config.section("reconnect"))
        day = (today or dt.datetime.now()).date()
        path = find_note(index, note)
        found = load_audience(index.store, people_of(index), config, path, day, index.settings, k)
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

    from vaultnet.people.brief import load_brief
    from vaultnet.people.config import reconnect_config
    from vaultnet.reconnect.render_brief import brief_json, render_brief
    from vaultnet.vault.files import read_note_text

    with obj.index() as index:
        config = reconnect_config(index.config.section("reconnect"))
        day = (today or dt.datetime.now()).date()
        read = partial(read_note_text, index.root)
        found = load_brief(index.store, people_of(index), config, name, day, index.settings, read)
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
    with obj.index() as index:
        result = log_contact(
            index.store,
            index.root,
            index.settings,
            people_of(index),
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
@click.option("--json", "as_json", is_flag=True, help="Print the outcome as JSON.")
@click.pass_obj
def import_cmd(
    obj: Context, files: tuple[str, ...], folder: str | None, dry_run: bool, as_json: bool
) -> None:
    """Create a person note for each contact in vCard, Google, Outlook or LinkedIn FILES.

    Existing notes are never changed: a contact already in the vault is reported with what it
    would add. Exit status 1 (and nothing written) when a file cannot be read at all."""
    from pathlib import Path

    from vaultnet.addressbook.importer import run_import
    from vaultnet.addressbook.importing import plan_json
    from vaultnet.addressbook.render_import import import_text

    with obj.index() as index:
        sources = [(name, Path(name)) for name in files]
        result = run_import(index, people_of(index), sources, folder=folder, dry_run=dry_run)
    for skipped in result.plan.skipped:
        click.echo(f"skipped {skipped}", err=True)
    if as_json:
        emit_json(plan_json(result.plan))
    else:
        click.echo(import_text(result.plan, result.folder, dry_run=dry_run))


@click.command()
@click.option("--today", type=TODAY, help="Date to count back from (default: today).")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.pass_obj
def network(obj: Context, today: Any, as_json: bool) -> None:
    """The network at a glance: contact per month, the mix reached, strongest and drifting ties."""
    import datetime as dt

    from vaultnet.network.config import network_config
    from vaultnet.network.figures import network_of
    from vaultnet.network.page import load_network
    from vaultnet.network.report import network_json, network_text
    from vaultnet.people.config import reconnect_config

    with obj.index() as index:
        config = network_config(index.config.section("network"))
        shares = reconnect_config(index.config.section("reconnect")).shares
        people = people_of(index)
        day = (today or dt.datetime.now()).date()
        figures = network_of(load_network(index.store, people, day), day, people, shares, config)
    if as_json:
        emit_json(network_json(figures))
    else:
        click.echo(network_text(figures))


PEOPLE_COMMANDS = [contacts, reconnect, audience, brief, touch, import_cmd, network]
