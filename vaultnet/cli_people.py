"""The people commands of `vaultnet`: contacts, reconnect, brief, audience, touch, import and
network. Each is a few lines over `vaultnet.people` (network: `vaultnet.network`);
`vaultnet.cli` adds them to the command group."""

from __future__ import annotations

import datetime as dt

import click

from vaultnet.cli_base import (
    Context,
    date_option,
    emit_json,
    example,
    limit_option,
    real_today,
    vault_options,
)
from vaultnet.words import plural


@click.command(epilog=example("vaultnet contacts --vcf contacts.vcf"))
@date_option("--today", help="Date to judge contacts on (default: today).")
@click.option("--json", "as_json", is_flag=True, help="Print every contact as JSON.")
@click.option(
    "--vcf",
    "vcf",
    metavar="FILE|-",
    help="Write every contact as one vCard 3.0 file (`-`: to standard output).",
)
@vault_options
@click.pass_obj
def contacts(obj: Context, today: dt.date | None, as_json: bool, vcf: str | None) -> None:
    """Every contact: last interaction, cadence, status."""
    from vaultnet.addressbook.vcf import contacts_vcf
    from vaultnet.people.contacts import contact_json
    from vaultnet.people.facts import people_facts
    from vaultnet.reconnect.guide import guide_of
    from vaultnet.reconnect.render import contacts_text

    with obj.session() as vault:
        gathering = vault.gathering(today or real_today())
        people = gathering.facts(people_facts).people
        root = vault.index.root
        guide = None if people.contacts or as_json or vcf else guide_of(gathering)
    if people.problems:
        count = len(people.problems)
        values = plural(count, "unreadable value")
        click.echo(f"{values} in people's notes: see `vaultnet doctor`", err=True)
    if vcf is not None:
        # click writes to a temp file and renames it: a failed export leaves the old file whole
        with click.open_file(vcf, "wb", atomic=vcf != "-") as out:
            out.write(contacts_vcf(people.contacts, root.resolve().name).encode("utf-8"))
        if vcf != "-":
            click.echo(f"{plural(len(people.contacts), 'contact')} written to {vcf}", err=True)
        return
    if as_json:
        emit_json([contact_json(c) for c in people.contacts])
    else:
        click.echo(contacts_text(people.contacts, guide))


@click.command(epilog=example("vaultnet reconnect --today 2026-11-26 -n 5"))
@date_option("--today", help="Date to suggest for (default: today).")
@limit_option(10, "suggestions")
@click.option("--json", "as_json", is_flag=True, help="Print the suggestions as JSON.")
@vault_options
@click.pass_obj
def reconnect(
    obj: Context, today: dt.date | None, limit: int | None, old_k: int | None, as_json: bool
) -> None:
    """Whom to get back in touch with, why, and what to share with them."""
    from vaultnet.people.reconnect import reconnect_plan
    from vaultnet.reconnect.guide import guide_of
    from vaultnet.reconnect.render import plan_json, plan_text

    with obj.session() as vault:
        gathering = vault.gathering(today or real_today())
        plan = reconnect_plan(gathering, limit or old_k)
        guide = guide_of(gathering) if not plan.suggestions and not as_json else None
    if as_json:
        emit_json(plan_json(plan))
    else:
        click.echo(plan_text(plan, guide))


@click.command(epilog=example("vaultnet audience 'Climate startups to watch' -n 3"))
@click.argument("note")
@limit_option(5, "people")
@date_option("--today", help="Date to judge contacts on (default: today).")
@click.option("--json", "as_json", is_flag=True, help="Print the people as JSON.")
@vault_options
@click.pass_obj
def audience(
    obj: Context,
    note: str,
    limit: int | None,
    old_k: int | None,
    today: dt.date | None,
    as_json: bool,
) -> None:
    """The people who would care about the idea NOTE (a path, link text, title or alias), best
    first, and why."""
    from vaultnet.index.queries import find_note
    from vaultnet.people.audience import audience_of

    with obj.session() as vault:
        path = find_note(vault.index, note)
        found = audience_of(vault.gathering(today or real_today()), path, limit or old_k or 5)
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
        click.echo(
            f"Nobody's interests match {path} yet: a person shows here once their note shares a "
            "tag with it, it links them (or they it), or notes that mention them share its tags "
            "(someone it was already shared with never does)."
        )
    for f in found:
        snoozed = " (snoozed)" if f.contact.status == "snoozed" else ""
        click.echo(f"{f.contact.name}{snoozed}: {'; '.join(f.reasons)}")


@click.command(epilog=example("vaultnet brief 'Priya Raman'"))
@click.argument("name")
@date_option("--today", help="Date to brief for (default: today).")
@click.option("--json", "as_json", is_flag=True, help="Print the brief as JSON.")
@vault_options
@click.pass_obj
def brief(obj: Context, name: str, today: dt.date | None, as_json: bool) -> None:
    """Everything the vault knows about NAME (a name or alias in any case or accents, or the
    path of their note) before you call them, with the evidence."""
    from functools import partial

    from vaultnet.people.brief import brief_named
    from vaultnet.reconnect.render_brief import brief_json, render_brief
    from vaultnet.vault.files import read_note_text

    with obj.session() as vault:
        read = partial(read_note_text, vault.index.root)
        found = brief_named(vault.gathering(today or real_today()), name, read)
    if as_json:
        emit_json(brief_json(found))
    else:
        click.echo(render_brief(found, None), nl=False)


@click.command(
    epilog=example("vaultnet touch 'Priya Raman' --note 'coffee, pilot numbers' --date yesterday")
)
@click.argument("name")
@click.option("--note", "text", help="What you talked about (after the link).")
@date_option(
    "--date", "day", help="Day of the contact: YYYY-MM-DD, today, yesterday, -3d (default: today)."
)
@click.option("--dry-run", is_flag=True, help="Show the line and the note; write nothing.")
@vault_options
@click.pass_obj
def touch(obj: Context, name: str, text: str | None, day: dt.date | None, dry_run: bool) -> None:
    """Log a contact with NAME (a name or alias in any case or accents) in that day's daily
    note."""
    from vaultnet.reconnect.touch import touch as log_contact

    now = dt.datetime.now()
    with obj.session(writes=not dry_run) as vault:
        result = log_contact(
            vault.gathering(real_today()),
            vault.index.root,
            name,
            day=day or real_today(),
            note=text,
            now=now,
            dry_run=dry_run,
        )
        root = vault.index.root
    verb = "created" if result.create else "appended to"
    click.echo(f"{'would be ' if dry_run else ''}{verb} {result.path} in {root}: {result.line}")


def vault_folder(value: str | None) -> str | None:
    """A vault-relative folder: not absolute, no `..` (a way out of the vault is a usage error)."""
    if value is None:
        return None
    parts = value.replace("\\", "/").split("/")
    hidden = any(p.startswith(".") and p != "." for p in parts)  # Obsidian shows no dot folder
    if value.startswith(("/", "\\")) or ":" in parts[0] or ".." in parts or hidden:
        raise click.BadParameter(f"{value!r}: a folder inside the vault, such as People/Imported")
    return "/".join(p for p in parts if p not in ("", "."))


@click.command(
    "import",
    epilog=example(
        "vaultnet import ~/Downloads/Connections.csv contacts.vcf --dry-run",
        "vaultnet import ~/Downloads/Connections.csv contacts.vcf",
    ),
)
@click.argument("files", nargs=-1, required=True)
@click.option(
    "--folder",
    callback=lambda _ctx, _param, value: vault_folder(value),
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
@vault_options
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

    with obj.session(writes=not dry_run) as vault:
        sources = [(name, Path(name)) for name in files]
        result = run_import(
            vault.index, vault.settings, sources, folder=folder, dry_run=dry_run, adopt=adopt
        )
        root = vault.index.root
    for skipped in result.plan.skipped:
        click.echo(f"skipped {skipped}", err=True)
    if as_json:
        emit_json({"vault": str(root), **plan_json(result.plan)})
    else:
        given = ["--vault", str(obj.vault)] if obj.vault is not None else []
        where = ["--folder", folder] if folder is not None else []
        command = shlex.join(["vaultnet", *given, "import", *files, *where, "--adopt"])
        text = import_text(
            result.plan, result.folder, dry_run=dry_run, adopt_command=command, vault=str(root)
        )
        click.echo(text)
    if result.failure is not None:
        raise result.failure


@click.command(epilog=example("vaultnet network --today 2026-11-26"))
@date_option("--today", help="Date to count back from (default: today).")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@vault_options
@click.pass_obj
def network(obj: Context, today: dt.date | None, as_json: bool) -> None:
    """The network at a glance: contact per month, the mix reached, strongest and drifting ties."""
    from vaultnet.network.page import network_figures
    from vaultnet.network.report import network_json, network_text

    with obj.session() as vault:
        figures = network_figures(vault.gathering(today or real_today()))
    if as_json:
        emit_json(network_json(figures))
    else:
        click.echo(network_text(figures))


PEOPLE_COMMANDS = [contacts, reconnect, audience, brief, touch, import_cmd, network]
