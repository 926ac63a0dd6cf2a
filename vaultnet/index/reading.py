"""Reading notes for the scan: read, hash, parse and resolve each one into index rows, in worker
processes when there are many (`vaultnet.workers`)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from vaultnet.index.rows import NoteRows, note_rows
from vaultnet.vault.files import read_bytes
from vaultnet.vault.model import Problem
from vaultnet.vault.resolve import Resolver
from vaultnet.vault.settings import VaultSettings

PARALLEL_FROM = 200
"""Parse in worker processes when at least this many files must be read."""
CHUNK = 64


@dataclass(frozen=True, slots=True)
class Parsed:
    """What a worker read: rows to store, a problem, or (no hash) the same content as before."""

    path: str
    hash: str | None
    rows: NoteRows | None = None
    problem: Problem | None = None


def read_notes(
    root: Path, obsidian: VaultSettings, resolver: Resolver, items: list[tuple[str, str | None]]
) -> Iterator[Parsed]:
    """Each (path, hash the index holds) of `items` read: rows to store, a problem, or (no
    hash) the same content as before. What the reading works against is bound to the work
    itself, never kept in this module: two scans in one process (the watcher's thread and a
    `generate`, a plugin host) once swapped each other's vault between two notes."""
    if not items:
        return
    import vaultnet.vault.parse  # noqa: F401  (markdown-it and YAML load only when there is work)

    work = partial(_read_and_parse, Reading(root, obsidian, resolver))
    if len(items) < PARALLEL_FROM or (os.cpu_count() or 1) < 2:
        yield from map(work, items)
        return
    from vaultnet.workers import parallel_map

    yield from parallel_map(work, items, workers=os.cpu_count() or 2, chunksize=CHUNK)


@dataclass(frozen=True, slots=True)
class Reading:
    """What `_read_and_parse` works against (forked workers inherit it with the work)."""

    root: Path
    settings: VaultSettings
    resolver: Resolver


def _read_and_parse(reading: Reading, item: tuple[str, str | None]) -> Parsed:
    """Read, hash, parse and resolve one note, and turn it into index rows (runs in workers)."""
    root, settings, resolver = reading.root, reading.settings, reading.resolver
    path, old_hash = item
    try:
        data = read_bytes(root, path)
    except OSError as error:
        return Parsed(
            path, "", problem=Problem(path, None, "unreadable", f"cannot read: {error.strerror}")
        )
    import hashlib

    digest = hashlib.blake2b(data, digest_size=16).hexdigest()
    if digest == old_hash:
        return Parsed(path, None)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        message = f"not UTF-8 text (byte {error.start}); not indexed"
        return Parsed(path, digest, problem=Problem(path, None, "undecodable", message))
    from vaultnet.vault.parse import parse_note

    try:
        note = parse_note(path, text, settings)
        resolved = [resolver.resolve(k.target, path) for k in note.links]
        rows = note_rows(
            note,
            resolved,
            template=settings.is_template(path),
            excluded=settings.is_excluded(path),
        )
    except Exception as error:  # one strange note must never stop a scan
        message = f"could not read this note ({type(error).__name__}: {error}); please report it"
        return Parsed(path, digest, problem=Problem(path, None, "unparsable", message[:300]))
    return Parsed(path, digest, rows)
