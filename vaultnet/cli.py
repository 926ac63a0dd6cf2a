"""The `vaultnet` command. Each command is a few lines: open the index, call the library, print.

Library errors (`VaultnetError`) become one clear line and a non-zero exit; nothing prints a
traceback unless `-v` is given. Heavy modules are imported inside commands to keep start-up fast.
"""

from __future__ import annotations

import datetime as dt
import sys
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from vaultnet.cli_base import (
    INDEX_HELP,
    VAULT_HELP,
    Context,
    date_option,
    emit_json,
    example,
    limit_option,
    read_related_ahead,
    real_today,
    vault_options,
)
from vaultnet.cli_people import PEOPLE_COMMANDS
from vaultnet.cli_setup import SETUP_COMMANDS
from vaultnet.errors import IndexDamaged, VaultnetError, located
from vaultnet.words import plural

if TYPE_CHECKING:
    from vaultnet.index.scan import Index
    from vaultnet.related.hybrid import Calibration
    from vaultnet.related.saved import SavedCorpus


ARGS, AGAIN = "vaultnet.args", "vaultnet.again"
"""`click.Context.meta` keys: the command line, and that the command runs a second time."""


class VaultnetGroup(click.Group):
    """Turns library errors into click's one-line errors (also under `CliRunner`). A command
    that met a damaged index (moved aside by then, with a warning) runs once more, on an index
    rebuilt from the vault: every command is safe to repeat up to where it writes into the
    vault, and what writes there does so last (`touch`) or finds its own work done (`import`,
    `generate`)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta.setdefault(ARGS, list(args))
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except IndexDamaged as damage:
            if not damage.healed or ctx.meta.get(AGAIN):
                raise click.ClickException(str(damage)) from None
        except VaultnetError as error:
            raise click.ClickException(str(error)) from None
        again = self.make_context(ctx.info_name, list(ctx.meta[ARGS]), parent=ctx.parent)
        again.meta[AGAIN] = True
        with again:
            return self.invoke(again)


@click.group(
    cls=VaultnetGroup,
    epilog=example(
        "cd ~/Notes && vaultnet generate      # the Reconnect page in Vaultnet/",
        "vaultnet brief 'Priya Raman' --vault ~/Notes",
    ),
)
@click.option("--vault", type=click.Path(path_type=Path, file_okay=False), help=VAULT_HELP)
@click.option(
    "--index",
    "index_path",
    type=click.Path(path_type=Path, dir_okay=False),
    envvar="VAULTNET_INDEX",
    help=INDEX_HELP,
)
@click.option("-v", "--verbose", count=True, help="More detail on errors and in logs.")
@click.version_option(package_name="vaultnet")
@click.pass_context
def cli(ctx: click.Context, vault: Path | None, index_path: Path | None, verbose: int) -> None:
    """Nurture the network and the ideas you already have, from your Obsidian vault.

    --vault, --index and -v go before or after the command's name."""
    ctx.obj = Context(vault, index_path, verbose)
    ctx.obj.index_given = (
        ctx.get_parameter_source("index_path") == click.core.ParameterSource.COMMANDLINE
    )


@cli.command(epilog=example("vaultnet scan --json"))
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@vault_options
@click.pass_obj
def scan(obj: Context, as_json: bool) -> None:
    """Update the index (re-reads only what changed)."""
    from vaultnet.session import load_settings

    with obj.session(scan=False, check=False) as vault:
        index = vault.index
        report = _scan_with_progress(index, show=not as_json and sys.stderr.isatty())
        problems = index.view.count_problems()
        load_settings(index)  # the index is current; invalid settings stop here, as everywhere
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
        click.echo(f"{plural(problems, 'problem')}: see `vaultnet doctor`")


@cli.command(epilog=example("vaultnet note 'Ideas/Climate startups to watch.md' --json"))
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Print the note as JSON.")
@vault_options
@click.pass_obj
def note(obj: Context, name: str, as_json: bool) -> None:
    """Show one note: NAME is a vault-relative path, link text, title or alias (any case or
    accents; a near miss gets a suggestion)."""
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


@cli.command(epilog=example("vaultnet doctor --strict"))
@click.option("--json", "as_json", is_flag=True, help="Print problems as JSON.")
@click.option("--strict", is_flag=True, help="Exit with status 1 when there are problems.")
@vault_options
@click.pass_obj
def doctor(obj: Context, as_json: bool, strict: bool) -> None:
    """Report problems: malformed frontmatter, broken links, conflict copies, ..."""

    from vaultnet.index.queries import all_problems
    from vaultnet.session import doctor_problems
    from vaultnet.watch.options import WatchConfig

    with obj.session(check=False) as vault:  # every table's errors listed, not the first alone
        index = vault.index
        index.view.check_integrity()  # damage no query met: moved aside, and doctor runs again
        found = doctor_problems(index, extra=[WatchConfig])
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
        click.echo(plural(len(problems), "problem") if problems else "No problems found.")
    if strict and problems:
        sys.exit(1)


@cli.command(
    epilog=example(
        "vaultnet generate --today 2026-11-26",
        "vaultnet generate --force --page Reconnect   # replace the edited Reconnect page",
    )
)
@date_option("--today", help="Date to generate for (default: today).")
@click.option("--json", "as_json", is_flag=True, help="List written/unchanged/removed/refused.")
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@click.option(
    "--force",
    is_flag=True,
    help="Replace the pages you edited too, each kept first as '<name> (edited).md' beside it.",
)
@click.option(
    "--page",
    "pages",
    multiple=True,
    metavar="NAME",
    help="With --force: only this edited page (its name or path; repeat for more).",
)
@vault_options
@click.pass_obj
def generate(
    obj: Context,
    today: dt.date | None,
    as_json: bool,
    dry_run: bool,
    force: bool,
    pages: tuple[str, ...],
) -> None:
    """Write the generated pages into the vault (never over your edits, unless --force)."""
    from vaultnet.session import generated_page, run_generate

    if pages and not force:
        raise click.UsageError("--page names a page to replace: use it with --force")
    with obj.session(writes=not dry_run, ahead=read_related_ahead) as vault:
        forced: bool | set[str] = {generated_page(vault, name) for name in pages} or force
        report = run_generate(vault, today or real_today(), dry_run=dry_run, force=forced)
        root = vault.index.root
    data = report.to_json()
    if as_json:
        emit_json({"vault": str(root), "dry_run": dry_run, **data})
        return
    would = "would be " if dry_run else ""
    for action in ("written", "removed"):
        for path in data[action]:
            click.echo(f"{would}{action}: {path}")
    for kept in data["kept"]:
        click.echo(f"{would}kept: {kept['path']} (your version of {kept['page']})")
    for line in report.refusals():
        click.echo(f"refused: {line}")
    for notice in data["notices"]:
        click.echo(f"note: {notice}")
    click.echo(
        f"{len(data['written'])} {would}written, {len(data['unchanged'])} unchanged, "
        f"{len(data['removed'])} {would}removed, {len(data['refused'])} refused, in {root}"
    )


@cli.command(epilog=example("vaultnet watch --vault ~/Notes"))
@date_option("--today", help="Fix the date (default: follow the clock).")
@click.option(
    "--debounce", default=300, show_default=True, metavar="MS", help="Quiet period in ms."
)
@click.option("--polling", is_flag=True, help="Poll instead of native events (network drives).")
@vault_options
@click.pass_obj
def watch(obj: Context, today: dt.date | None, debounce: int, polling: bool) -> None:
    """Keep the index and generated pages current while you write (Ctrl-C stops)."""
    from vaultnet.watch.daemon import WatchOptions, run_watch

    options = WatchOptions(today, debounce / 1000, polling)
    run_watch(obj.root(writes=True), obj.index_path, options, verbose=obj.verbose)


@cli.command(epilog=example("vaultnet related 'Climate startups to watch' -n 5"))
@click.argument("name", required=False)
@limit_option(10, "notes")
@click.option("--json", "as_json", is_flag=True, help="Print the notes as JSON.")
@click.option("--weights", is_flag=True, help="Show the signal weights in use instead.")
@vault_options
@click.pass_obj
def related(
    obj: Context,
    name: str | None,
    limit: int | None,
    old_k: int | None,
    as_json: bool,
    weights: bool,
) -> None:
    """Notes related to NAME (a path, link text, title or alias), best first, with reasons."""
    k = limit or old_k or 10
    from vaultnet.index.queries import find_note
    from vaultnet.pages.links import LinkStyle
    from vaultnet.people.config import PeopleConfig
    from vaultnet.related.config import RelatedConfig
    from vaultnet.related.hybrid import Engine
    from vaultnet.related.phrases import checked_related
    from vaultnet.related.saved import SavedCorpus
    from vaultnet.related.weights import calibration_in_use, defaults_said, on_first_need

    if name is None and not weights:
        raise click.UsageError("give a NOTE, or --weights")
    live = SavedCorpus(in_place=True)
    with obj.session(ahead=partial(read_related_ahead, command=True)) as vault:
        index, settings = vault.index, vault.settings
        config = settings.table(RelatedConfig)
        live.refresh(index.view, settings.table(PeopleConfig))
        live.fit_if_due(full=False)
        if weights:
            calibration = calibration_in_use(live, config)
            _show_weights(calibration, live, config.learn, as_json)
            live.save(index.view)
            return
        assert name is not None
        path = find_note(index, name)
        calibration = on_first_need(live, config, index.view, index.root)
        live.save(index.view)
        found = Engine(live.corpus, calibration).related(path, k)
        found = checked_related(index.view, index.root, path, found)
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
        click.echo(
            f"No related notes found for {path}: notes show here once they share rare words, "
            "tags, people or links with it."
        )
    if said := defaults_said(calibration, config):
        click.echo(said)


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


for _command in [*PEOPLE_COMMANDS, *SETUP_COMMANDS]:
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
