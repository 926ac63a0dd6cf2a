"""The `vaultnet` command. Each command is a few lines: open the index, call the library, print.

Library errors (`VaultnetError`) become one clear line and a non-zero exit; nothing prints a
traceback unless `-v` is given. Heavy modules are imported inside commands to keep start-up fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from vaultnet.cli_base import TODAY, VAULT_ENV, Context, emit_json
from vaultnet.cli_people import PEOPLE_COMMANDS
from vaultnet.errors import VaultnetError, located

if TYPE_CHECKING:
    from vaultnet.index.scan import Index
    from vaultnet.related.hybrid import Calibration
    from vaultnet.related.saved import SavedCorpus


class VaultnetGroup(click.Group):
    """Turns library errors into click's one-line errors (also under `CliRunner`)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except VaultnetError as error:
            raise click.ClickException(str(error)) from None


@click.group(cls=VaultnetGroup)
@click.option(
    "--vault",
    type=click.Path(path_type=Path, file_okay=False),
    help=f"Vault folder (default: ${VAULT_ENV}, else the nearest folder upward with "
    ".obsidian/ or .vaultnet.toml, else the current folder).",
)
@click.option(
    "--index",
    "index_path",
    type=click.Path(path_type=Path, dir_okay=False),
    envvar="VAULTNET_INDEX",
    help="SQLite index file (default: $VAULTNET_INDEX, else one per vault in the "
    "user's cache folder).",
)
@click.option("-v", "--verbose", count=True, help="More detail on errors and in logs.")
@click.version_option(package_name="vaultnet")
@click.pass_context
def cli(ctx: click.Context, vault: Path | None, index_path: Path | None, verbose: int) -> None:
    """Nurture the network and the ideas you already have, from your Obsidian vault."""
    ctx.obj = Context(vault, index_path, verbose)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_obj
def scan(obj: Context, as_json: bool) -> None:
    """Update the index (re-reads only what changed)."""
    with obj.session(scan=False, check=False) as vault:
        index = vault.index
        report = _scan_with_progress(index, show=not as_json and sys.stderr.isatty())
        problems = index.view.count_problems()
    summary = {
        "files": report.files,
        "notes": report.notes,
        "added": len(report.added),
        "changed": len(report.changed),
        "removed": len(report.removed),
        "rebuilt": report.rebuilt,
        "problems": problems,
        "seconds": round(report.seconds, 3),
        "index": str(index.path),
    }
    if as_json:
        emit_json(summary)
        return
    click.echo(
        f"{report.notes} notes in {report.files} files: {summary['added']} added, "
        f"{summary['changed']} changed, {summary['removed']} removed "
        f"({report.seconds:.2f} s)"
    )
    if problems:
        click.echo(f"{problems} problems: see `vaultnet doctor`")


@cli.command()
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Print the note as JSON.")
@click.pass_obj
def note(obj: Context, name: str, as_json: bool) -> None:
    """Show one note: NAME is a vault-relative path or link text."""
    from vaultnet.index.queries import find_note, note_json

    with obj.session() as vault:
        data = note_json(vault.index.view, find_note(vault.index, name))
    if as_json:
        emit_json(data)
        return
    click.echo(f"{data['path']}  ({data['title']})")
    for key in ("date", "aliases", "tags"):
        if data[key]:
            value = ", ".join(data[key]) if isinstance(data[key], list) else data[key]
            click.echo(f"  {key}: {value}")
    for link in data["links"]:
        where = link["path"] or "(unresolved)"
        note_ = "  (commented)" if link["commented"] else ""
        click.echo(
            f"  -> {link['target'] or '#'} {where} [{link['kind']}, line {link['line']}]{note_}"
        )
    for back in data["backlinks"]:
        click.echo(f"  <- {back['path']}:{back['line']}")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print problems as JSON.")
@click.option("--strict", is_flag=True, help="Exit with status 1 when there are problems.")
@click.pass_obj
def doctor(obj: Context, as_json: bool, strict: bool) -> None:
    """Report problems: malformed frontmatter, broken links, conflict copies, ..."""
    import datetime as dt

    from vaultnet.index.gathering import Gathering
    from vaultnet.index.queries import all_problems
    from vaultnet.people.checks import property_problems
    from vaultnet.people.facts import person_notes
    from vaultnet.session import config_problems, load_settings
    from vaultnet.vault.files import read_bytes
    from vaultnet.watch.options import WatchConfig

    with obj.session(check=False) as vault:  # every table's errors listed, not the first alone
        index = vault.index
        found = config_problems(index, extra=[WatchConfig])
        if not found:  # people's values are read under valid settings only
            gathering = Gathering(index.view, load_settings(index), dt.date.today())
            rows = gathering.facts(person_notes).contacts
            found = property_problems(rows, lambda path: read_bytes(index.root, path))
        problems = all_problems(index.view, extra=found)
    if as_json:
        emit_json(
            {
                "problems": [
                    {"path": p.path, "line": p.line, "kind": p.kind, "message": p.message}
                    for p in problems
                ]
            }
        )
    else:
        for p in problems:
            click.echo(located(p.path, p.line, f"{p.kind}: {p.message}"))
        click.echo(f"{len(problems)} problems" if problems else "No problems found.")
    if strict and problems:
        sys.exit(1)


@cli.command()
@click.option("--today", type=TODAY, help="Date to generate for (default: today).")
@click.option("--json", "as_json", is_flag=True, help="List written/unchanged/removed/refused.")
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@click.pass_obj
def generate(obj: Context, today: Any, as_json: bool, dry_run: bool) -> None:
    """Write the generated pages into the vault (never over your edits)."""
    import datetime as dt

    from vaultnet.session import run_generate

    with obj.session() as vault:
        report = run_generate(vault, today.date() if today else dt.date.today(), dry_run=dry_run)
    data = report.to_json()
    if as_json:
        emit_json({"dry_run": dry_run, **data})
        return
    would = "would be " if dry_run else ""
    for action in ("written", "removed"):
        for path in data[action]:
            click.echo(f"{would}{action}: {path}")
    for item in data["refused"]:
        click.echo(f"refused: {item['path']}: {item['reason']}")
    for notice in data["notices"]:
        click.echo(f"note: {notice}")
    click.echo(
        f"{len(data['written'])} {would}written, {len(data['unchanged'])} unchanged, "
        f"{len(data['removed'])} {would}removed, {len(data['refused'])} refused"
    )


@cli.command()
@click.option("--today", type=TODAY, help="Fix the date (default: follow the clock).")
@click.option("--debounce", default=300, show_default=True, help="Quiet period in ms.")
@click.option("--polling", is_flag=True, help="Poll instead of native events (network drives).")
@click.pass_obj
def watch(obj: Context, today: Any, debounce: int, polling: bool) -> None:
    """Keep the index and generated pages current while you write (Ctrl-C stops)."""
    from vaultnet.watch.daemon import WatchOptions, run_watch

    options = WatchOptions(today.date() if today else None, debounce / 1000, polling)
    run_watch(obj.root, obj.index_path, options, verbose=obj.verbose)


@cli.command()
@click.argument("name", required=False)
@click.option("-k", "k", type=click.IntRange(min=1), default=10, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the notes as JSON.")
@click.option("--weights", is_flag=True, help="Show the signal weights in use instead.")
@click.pass_obj
def related(obj: Context, name: str | None, k: int, as_json: bool, weights: bool) -> None:
    """Notes related to NAME (a path or link text), best first, with reasons."""
    from vaultnet.index.queries import find_note
    from vaultnet.pages.links import LinkStyle
    from vaultnet.people.config import PeopleConfig
    from vaultnet.related.config import RelatedConfig
    from vaultnet.related.hybrid import Engine
    from vaultnet.related.saved import SavedCorpus
    from vaultnet.related.weights import calibration_in_use, learner_for

    if name is None and not weights:
        raise click.UsageError("give a NOTE, or --weights")
    with obj.session() as vault:
        index, settings = vault.index, vault.settings
        config = settings.table(RelatedConfig)
        live = SavedCorpus()
        live.refresh(index.view, settings.table(PeopleConfig))
        live.fit_if_due(full=False)
        if weights:
            calibration = calibration_in_use(live, config)
            _show_weights(calibration, live, config.learn, as_json)
            live.save(index.view)
            return
        assert name is not None
        path = find_note(index, name)
        # Weights learned for this vault: on first need, then kept with the index.
        first = live.calibration is None
        calibration = calibration_in_use(
            live, config, learner_for(index.view, index.root) if first else None
        )
        live.save(index.view)
        found = Engine(live.corpus, calibration).related(path, k)
        # Reasons' links as the pages write them (the vault's link settings, from its root).
        link = LinkStyle.for_vault(settings.obsidian, "", index.view.paths_of_kind("note")).link
    if as_json:
        emit_json([item.as_json(link) for item in found])
        return
    for item in found:
        click.echo(f"{item.score:.2f}  {item.path}{'  (linked)' if item.linked else ''}")
        for reason in item.reasons:
            click.echo(f"      {reason.render(link)}")
    if not found:
        click.echo("No related notes found.")
    if not calibration.trials:
        why = "[related] learn = false" if not config.learn else calibration.source
        click.echo(f"(Default weights: {why.removeprefix('defaults: ')}.)")


def _show_weights(calibration: Calibration, live: SavedCorpus, learn: bool, as_json: bool) -> None:
    from vaultnet.related.saved import describe

    summary = describe(calibration, live, learn)
    if as_json:
        emit_json({**calibration.as_json(), "summary": summary, "changed_since": live.drift})
        return
    click.echo(summary)
    click.echo(f"{'signal':<10}{'weight':>8}{'scale':>10}")
    for signal, weight in calibration.weights.items():
        click.echo(f"{signal:<10}{weight:>8.2f}{calibration.scales[signal]:>10.4g}")


def _scan_with_progress(index: Index, *, show: bool) -> Any:
    """A scan with a progress bar on a terminal (shown only when there is much to read)."""
    if not show:
        return index.scan()
    bar: Any = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if bar is None and total >= 500:
            bar = click.progressbar(length=total, label="Reading notes", file=sys.stderr)
            bar.__enter__()
        if bar is not None:
            bar.update(done - bar.pos)

    try:
        return index.scan(progress)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)


for _command in PEOPLE_COMMANDS:
    cli.add_command(_command)


def main() -> None:
    """Entry point: one clear line for every error, never a traceback (unless -v)."""
    try:
        cli()
    except Exception as error:
        if (
            "-v" in sys.argv
            or "--verbose" in sys.argv
            or any(a.startswith("-vv") for a in sys.argv)
        ):
            raise
        click.echo(
            f"Error: internal error: {type(error).__name__}: {error} (run with -v for details)",
            err=True,
        )
        sys.exit(2)


if __name__ == "__main__":
    main()
