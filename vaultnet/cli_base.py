"""What every `vaultnet` command shares: the context (vault, index, verbosity), finding the vault
(or refusing to guess one for a command that writes), the options every command takes after its
name too, the date and "how many" options, help examples and JSON output."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from vaultnet.errors import VaultNotFound

if TYPE_CHECKING:
    from vaultnet.index.scan import Index
    from vaultnet.session import Session

VAULT_ENV = "VAULTNET_VAULT"
INDEX_ENV = "VAULTNET_INDEX"
F = TypeVar("F", bound=Callable[..., Any])


def real_today() -> dt.date:
    """The date `today`, `yesterday` and `-3d` count from (tests pin it)."""
    return dt.date.today()


class DayType(click.ParamType):
    """A day: `YYYY-MM-DD`, `today`, `yesterday`, `tomorrow`, `-3d`, `+1w` (from the real date)."""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, dt.date):
            return value
        from vaultnet.vault.dates import typed_day

        day = typed_day(str(value), real_today())
        if day is None:
            self.fail(
                f"{value!r} is not a date: write YYYY-MM-DD, today, yesterday or -3d", param, ctx
            )
        return day


DAY = DayType()


def date_option(*names: str, help: str) -> Callable[[F], F]:
    """A date option (`--today`, `--date`): `YYYY-MM-DD`, `today`, `yesterday` or `-3d`."""
    return click.option(*names, type=DAY, metavar="YYYY-MM-DD", help=help)


def limit_option(default: int, what: str) -> Callable[[F], F]:
    """ "How many": `--limit N` / `-n N` in every command (`-k`, the old spelling, still works)."""

    def decorate(f: F) -> F:
        f = click.option(
            "-k", "old_k", type=click.IntRange(min=1), hidden=True, help="Same as --limit."
        )(f)
        return click.option(
            "--limit",
            "-n",
            "limit",
            type=click.IntRange(min=1),
            metavar="N",
            help=f"How many {what} (default {default}).",
        )(f)

    return decorate


def example(*lines: str) -> str:
    """A command's help epilog: its example(s), kept as written (click's `\\b`)."""
    return "\b\nExample:\n" + "\n".join(f"  {line}" for line in lines)


class Context:
    """The command line's vault, index and verbosity (given before or after the command)."""

    def __init__(self, vault: Path | None, index: Path | None, verbose: int) -> None:
        self.vault = vault
        self.index_path = index
        self.verbose = verbose
        self.index_given = False
        """`--index` was written on the command line (not taken from $VAULTNET_INDEX)."""

    def root(self, *, writes: bool) -> Path:
        """The vault: `--vault`, else `$VAULTNET_VAULT`, else the nearest folder upward holding
        `.obsidian/` or `.vaultnet.toml`. Without any of these a command that `writes` into the
        vault stops (`VaultNotFound`): vaultnet never guesses where to write; one that only
        reads uses the current folder and says so on stderr."""
        if self.vault is not None:
            return self.vault
        if os.environ.get(VAULT_ENV):
            return Path(os.environ[VAULT_ENV])
        from vaultnet.vault.files import find_vault

        here = Path.cwd()
        found = find_vault(here)
        if found is not None:
            return found
        if writes:
            command = f"vaultnet {click.get_current_context().info_name}"
            raise VaultNotFound(
                f"no vault here: neither {here} nor a folder above it holds .obsidian/ or "
                f".vaultnet.toml, so nothing was written; name the vault: {command} --vault PATH "
                f"(or set ${VAULT_ENV}, or run `vaultnet init` in the vault's folder)"
            )
        click.echo(
            f"vaultnet: reading {here} (no .obsidian/ or .vaultnet.toml here or above it; "
            "--vault PATH names a vault)",
            err=True,
        )
        return here

    @contextmanager
    def session(
        self,
        *,
        scan: bool = True,
        check: bool = True,
        writes: bool = False,
        ahead: Callable[[Index], None] | None = None,
    ) -> Iterator[Session]:
        """The vault's index, brought up to date first (a no-change scan is cheap), and its
        settings, validated (`vaultnet.session.session`, which gives `ahead` the index
        first). `writes`: the command writes into the vault, so the vault must be named or
        found (`root`)."""
        from vaultnet.session import session

        root = self.root(writes=writes)
        with session(root, self.index_path, scan=scan, check=check, ahead=ahead) as vault:
            yield vault


def _obj(ctx: click.Context) -> Context:
    if not isinstance(ctx.obj, Context):
        ctx.obj = Context(None, None, 0)
    return ctx.obj


def _set_vault(ctx: click.Context, _param: click.Parameter, value: Path | None) -> None:
    if value is None:
        return
    obj = _obj(ctx)
    if obj.vault is not None and obj.vault != value:
        raise click.UsageError(f"two vaults given: --vault {obj.vault} and --vault {value}")
    obj.vault = value


def _set_index(ctx: click.Context, _param: click.Parameter, value: Path | None) -> None:
    if value is None:
        return
    obj = _obj(ctx)
    if obj.index_given and obj.index_path != value:
        raise click.UsageError(f"two indexes given: --index {obj.index_path} and --index {value}")
    obj.index_path, obj.index_given = value, True


def _add_verbose(ctx: click.Context, _param: click.Parameter, value: int) -> None:
    if value:
        _obj(ctx).verbose += value


VAULT_HELP = (
    f"Vault folder (default: ${VAULT_ENV}, else the nearest folder upward with .obsidian/ or "
    ".vaultnet.toml; commands that write stop without one)."
)
INDEX_HELP = (
    f"SQLite index file (default: ${INDEX_ENV}, else one per vault in the user's cache folder)."
)


def vault_options(f: F) -> F:
    """`--vault`, `--index` and `-v` after the command name too (`vaultnet reconnect --vault X`),
    as before it."""
    f = click.option(
        "-v",
        "--verbose",
        count=True,
        expose_value=False,
        callback=_add_verbose,
        help="More detail on errors and in logs.",
    )(f)
    f = click.option(
        "--index",
        type=click.Path(path_type=Path, dir_okay=False),
        expose_value=False,
        callback=_set_index,
        help=INDEX_HELP,
    )(f)
    return click.option(
        "--vault",
        type=click.Path(path_type=Path, file_okay=False),
        expose_value=False,
        callback=_set_vault,
        is_eager=True,
        help=VAULT_HELP,
    )(f)


def read_related_ahead(index: Index, *, command: bool = False) -> None:
    """Start reading the related corpus saved beside `index` on a thread, while the vault is
    scanned (`vaultnet.related.signed.read_ahead`): for the `related` `command`, and for
    `generate` unless `.vaultnet.toml` switches the related generator off (`[generators]`)."""
    from vaultnet.related.signed import read_ahead

    if command or index.config.section("generators").get("related") is not False:
        read_ahead(index.path)


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))
