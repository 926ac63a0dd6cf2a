"""Pages the user edited: found before a generation plans (they are frozen: never rewritten or
removed), and replaced on request (`generate --force`), the user's version kept first as a note
of theirs beside the page (`<name> (edited).md`, created whole and never over a file), so no
edit is ever lost."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from vaultnet.errors import LockHeld, UnsafePath, VaultnetError
from vaultnet.pages.append import create_note
from vaultnet.pages.write import (
    KEPT,
    MARKER,
    REFUSED,
    REMOVED,
    STOPPING,
    WRITTEN,
    Outcome,
    UnsafeWrite,
    failure,
    is_pristine,
    read_current,
    read_marker,
    refusal,
    remove_page,
    remove_unchanged,
    render_page,
    replace_file,
    target_path,
    write_page,
)
from vaultnet.vault.model import GENERATOR_KEY, HASH_KEY


def is_edited(data: bytes, generator: str) -> bool:
    """These bytes are a page of `generator` that the user edited (marker kept, body changed)."""
    marker, _ = read_marker(data)
    return marker is not None and marker.generator == generator and not is_pristine(data)


KEPT_GENERATOR = "edited"
"""The generator a kept copy names (`kept_copy`): none runs by that name."""


def kept_copy(data: bytes) -> bytes:
    """The user's version of an edited page, as `generate --force` keeps it beside the page:
    every byte as they left it, but the marker's two lines (`vaultnet-generator: NAME`,
    `vaultnet-hash: ...`) become `vaultnet-generator: edited`. So vaultnet never writes or
    removes it (no hash: it is no page of a generator's), and never reads it as content either
    (a briefing must not quote an old Reconnect page); deleting that line makes it a plain note."""
    text = data.decode("utf-8")
    match = MARKER.match(text)
    if match is None:
        return data
    marker = f"\n{GENERATOR_KEY}: {match.group(1)}\n{HASH_KEY}: {match.group(2)}\n"
    head = match.group(0).replace(marker, f"\n{GENERATOR_KEY}: {KEPT_GENERATOR}\n", 1)
    return (head + text[match.end() :]).encode("utf-8")


def edited_pages(root: Path, paths: Iterable[str], generator: str) -> list[str]:
    """Of the pages at `paths` (the generator's own), those the user edited."""
    found = []
    for path in paths:
        try:
            current = read_current(target_path(root, path))
        except UnsafeWrite:
            continue
        if current is not None and is_edited(current, generator):
            found.append(path)
    return found


def replace_edited(
    root: Path,
    path: str,
    generator: str,
    body: str | None,
    keep_as: str,
    *,
    dry_run: bool = False,
) -> list[Outcome]:
    """Write `body` at `path` (None: remove the page) although the user edited it: their version
    first becomes the note `keep_as` (`write.kept_copy`: every byte as they left it but the
    marker), then the page is replaced only if it still holds what was kept. A page that is not an
    edited page of `generator` (any more) is written or removed as usual."""
    try:
        target = target_path(root, path)
        current = read_current(target)
    except UnsafeWrite as error:
        return [refusal(path, error)]
    if current is None or not is_edited(current, generator):
        if body is None:
            return [remove_page(root, path, generator, dry_run=dry_run)]
        return [write_page(root, path, generator, body, dry_run=dry_run)]
    kept = Outcome(keep_as, KEPT, f"your version of {path}")
    if dry_run:
        return [kept, Outcome(path, REMOVED if body is None else WRITTEN)]
    try:
        create_note(root, keep_as, kept_copy(current).decode("utf-8"))
    except VaultnetError as error:
        return [Outcome(path, REFUSED, f"your version could not be kept as {keep_as}: {error}")]
    except OSError as error:
        if error.errno in STOPPING:  # a full disk: the command stops (the page stays as it is)
            failure(keep_as, error)
        reason = f"your version could not be kept as {keep_as} ({error.strerror or error})"
        return [Outcome(path, REFUSED, reason)]
    try:
        if body is None:
            return [kept, remove_unchanged(root, path, target, current, dry_run=False)]
        replace_file(root, target, render_page(generator, body), expect=current)
    except (UnsafePath, LockHeld) as error:
        return [kept, refusal(path, error)]
    except OSError as error:
        return [kept, failure(path, error)]
    return [kept, Outcome(path, WRITTEN)]
