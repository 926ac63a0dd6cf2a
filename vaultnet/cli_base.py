"""What every `vaultnet` command shares: the context (vault, index, verbosity), the date option
and JSON output."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from vaultnet.session import Session

VAULT_ENV = "VAULTNET_VAULT"
TODAY = click.DateTime(formats=["%Y-%m-%d"])


class Context:
    def __init__(self, vault: Path | None, index: Path | None, verbose: int) -> None:
        self.vault = vault
        self.index_path = index
        self.verbose = verbose

    @property
    def root(self) -> Path:
        if self.vault is not None:
            return self.vault
        if os.environ.get(VAULT_ENV):
            return Path(os.environ[VAULT_ENV])
        from vaultnet.vault.files import find_vault

        return find_vault(Path.cwd())

    @contextmanager
    def session(self, *, scan: bool = True, check: bool = True) -> Iterator[Session]:
        """The vault's index, brought up to date first (a no-change scan is cheap), and its
        settings, validated (`vaultnet.session.session`)."""
        from vaultnet.session import session

        with session(self.root, self.index_path, scan=scan, check=check) as vault:
            yield vault


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))
