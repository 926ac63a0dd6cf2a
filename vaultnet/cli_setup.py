"""The first-hour commands of `vaultnet`: `init` (mark a folder as a vault, with a commented
`.vaultnet.toml`) and `create-people` (person notes for the names the vault already links)."""

from __future__ import annotations

from pathlib import Path

import click

from vaultnet.cli_base import Context, emit_json, example, real_today, vault_options
from vaultnet.cli_people import vault_folder


@click.command(
    epilog=example(
        "cd ~/Notes && vaultnet init",
        "vaultnet init ~/Notes",
    )
)
@click.argument("folder", required=False, type=click.Path(path_type=Path, file_okay=False))
@vault_options
@click.pass_obj
def init(obj: Context, folder: Path | None) -> None:
    """Make FOLDER (default: --vault, else the current folder) a vault for vaultnet: write a
    commented .vaultnet.toml there, every setting at its default. An existing one is never
    replaced."""
    from vaultnet.vault.config import CONFIG_NAME
    from vaultnet.vault.files import find_vault
    from vaultnet.vault.starter import STARTER

    root = (folder or obj.vault or Path.cwd()).resolve()
    if not root.is_dir():
        raise click.ClickException(f"{root}: no such folder")
    target = root / CONFIG_NAME
    if target.exists():
        raise click.ClickException(f"{target}: already there; left as it is")
    above = find_vault(root.parent) if root.parent != root else None
    if above is not None and folder is None and obj.vault is None:
        raise click.ClickException(
            f"{root} is inside the vault {above}: run `vaultnet init` there, or name this "
            f"folder to make it a vault of its own: vaultnet init {root}"
        )
    with open(target, "x", encoding="utf-8", newline="\n") as file:
        file.write(STARTER)
    click.echo(f"wrote {target}: {root} is a vault for vaultnet now.")
    click.echo("Next: vaultnet import FILE... (an address book), then vaultnet generate.")


@click.command(
    "create-people",
    epilog=example(
        "vaultnet create-people --dry-run        # every name you link that looks like a person",
        "vaultnet create-people 'Mara Quint' 'José Álvarez'",
    ),
)
@click.argument("names", nargs=-1)
@click.option(
    "--folder",
    callback=lambda _ctx, _param, value: vault_folder(value),
    help="Folder for the new notes, inside the vault (default: the people folder).",
)
@click.option(
    "--dry-run", is_flag=True, help="Show the notes that would be created; write nothing."
)
@click.option("--json", "as_json", is_flag=True, help="Print the outcome as JSON (as import does).")
@vault_options
@click.pass_obj
def create_people(
    obj: Context, names: tuple[str, ...], folder: str | None, dry_run: bool, as_json: bool
) -> None:
    """Create a person note for each name you link from daily or meeting notes that has no note
    yet and reads like a person's name (or for each NAME). An existing note is never changed:
    a name that is already a person's is reported, as `import` reports it."""
    from vaultnet.addressbook.cards import Card
    from vaultnet.addressbook.importer import import_cards
    from vaultnet.addressbook.importing import plan_json
    from vaultnet.addressbook.render_import import import_text
    from vaultnet.people.likely import likely_people
    from vaultnet.vault.lookup import plain

    with obj.session(writes=not dry_run) as vault:
        likely = {plain(p.name): p for p in vault.gathering(real_today()).facts(likely_people)}
        wanted = [" ".join(n.split()) for n in names] or [p.name for p in likely.values()]
        if any(not name for name in wanted):
            raise click.BadParameter("a NAME is empty", param_hint="NAMES")
        cards = []
        for name in wanted:
            found = likely.get(plain(name))
            where = found.first if found else ("command line", 0)
            cards.append(Card(where[0], where[1], name))
        result = import_cards(vault.index, vault.settings, cards, folder=folder, dry_run=dry_run)
        root = vault.index.root
    for skipped in result.plan.skipped:
        click.echo(f"skipped {skipped}", err=True)
    if as_json:
        emit_json({"vault": str(root), **plan_json(result.plan)})
    elif not cards:
        click.echo(
            "No name to create: none of the names you link from daily or meeting notes looks "
            "like a person without a note. Name them: vaultnet create-people 'Jane Doe'"
        )
    else:
        click.echo(import_text(result.plan, result.folder, dry_run=dry_run, vault=str(root)))
        if dry_run and result.plan.created:
            click.echo(
                "Nothing was written: run the same command without --dry-run to create them."
            )
    if result.failure is not None:
        raise result.failure


SETUP_COMMANDS = [init, create_people]
