"""Scanning: wires the vault walk, the parser, the resolver and the index writer.

A scan re-reads only files whose size or mtime changed, re-parses only those whose content hash
changed, removes deleted files, and re-resolves exactly the links whose target name matches a file
that appeared or disappeared (`resolve.link_name`). The result equals a cold rebuild.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from vaultnet.errors import IndexDamaged, IndexUnavailable
from vaultnet.index.reading import Parsed, read_notes
from vaultnet.index.rows import FileRow
from vaultnet.index.schema import default_index_path, heal, translated
from vaultnet.index.view import IndexView
from vaultnet.index.writer import IndexWriter
from vaultnet.vault.config import Config
from vaultnet.vault.files import (
    FileEntry,
    check_vault,
    entry_for,
    icloud_copies,
    is_hidden,
    is_settings,
    load_config,
    load_settings,
    not_a_file_at,
    walk,
)
from vaultnet.vault.model import Problem
from vaultnet.vault.resolve import Resolver, file_name, link_name
from vaultnet.vault.settings import VaultSettings

INDEX_ENV = "VAULTNET_INDEX"
BATCH = 512
"""Parsed notes stored per round of `executemany`."""
FILE_PROBLEMS = {
    "conflict": ("conflict-copy", "sync conflict copy: not indexed; merge it into the original"),
    "too-large": ("too-large", "file is over max_note_bytes; not indexed"),
}

Progress = Callable[[int, int], None]


@dataclass(slots=True)
class ScanReport:
    files: int = 0
    notes: int = 0
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    rebuilt: bool = False
    """True when settings or the schema changed and everything was re-read."""
    seconds: float = 0.0

    def touched(self) -> list[str]:
        return sorted({*self.added, *self.changed, *self.removed})


class Index:
    """The index of one vault. Use `open_index`; call `scan()` or `update(paths)`."""

    def __init__(self, root: Path, index_path: Path | None = None) -> None:
        self.root = check_vault(root)
        if index_path is None and os.environ.get(INDEX_ENV):
            index_path = Path(os.environ[INDEX_ENV])
        self.path = index_path or default_index_path(self.root)
        self.writer = IndexWriter(self.path, replace_foreign=index_path is None)
        self._view: IndexView | None = None
        self.config: Config = load_config(self.root)
        self.obsidian: VaultSettings = VaultSettings()
        """Obsidian's settings as of the last scan."""
        self._resolver: Resolver | None = None
        self._resolvable: list[str] | None = None
        """Paths the resolver is built from on first use (a no-change scan never needs it)."""

    @property
    def resolver(self) -> Resolver:
        """Resolves links against the vault's files as of the last scan or update."""
        if self._resolver is None:
            if self._resolvable is None:
                raise RuntimeError("scan() the index before resolving links")
            self._resolver = Resolver(self._resolvable)
        return self._resolver

    def resolve(self, target: str, source: str = "") -> str | None:
        """`resolver.resolve(target, source)`, without building the whole resolver for one
        question: only files named as the target can answer it (`link_name`), so a resolver of
        those alone answers the same (`vaultnet related NOTE` asks once, of 100,000 paths)."""
        if self._resolver is not None or self._resolvable is None:
            return self.resolver.resolve(target, source)
        name = link_name(target, source)
        named = (path for path in self._resolvable if file_name(path) == name)
        return Resolver(named).resolve(target, source)

    @property
    def view(self) -> IndexView:
        """The index, read-only: what features and plugins read (as of the last commit)."""
        if self._view is None:
            self._view = IndexView(self.path)
        return self._view

    def close(self) -> None:
        if self._view is not None:
            self._view.close()
        self.writer.close()

    def heal(self, damage: IndexDamaged, progress: Progress | None = None) -> ScanReport:
        """The index file is damaged: move it aside (one warning line) and build it again from
        the vault, now (a cold scan, whose report it returns), so that nothing ever reads a
        half-built index."""
        replace_foreign = self.writer.replace_foreign
        self.writer.abandon()
        if self._view is not None:
            self._view.close()
        try:
            heal(self.path, damage.reason)
        except OSError as error:
            raise IndexUnavailable(
                f"{self.path}: the index is damaged ({damage.reason}) and cannot be moved aside "
                f"({error.strerror or error}): move it away, and vaultnet builds a new one"
            ) from None
        self.writer = IndexWriter(self.path, replace_foreign=replace_foreign)
        if self._view is not None:
            self._view.reopen()
        self._resolver = self._resolvable = None
        with self.writer.transaction():
            return self._scan(progress)

    def scan(self, progress: Progress | None = None) -> ScanReport:
        """Bring the index up to date with the whole vault (one transaction: an interrupted
        scan leaves the index as it was). A damaged index is moved aside and built again."""
        try:
            with self.writer.transaction():
                return self._scan(progress)
        except IndexDamaged as damage:
            return self.heal(damage, progress)

    def _scan(self, progress: Progress | None) -> ScanReport:
        start = time.perf_counter()
        self.config = load_config(self.root)
        self.obsidian, setting_problems = load_settings(self.root)
        report = ScanReport()
        fingerprint = f"{self.obsidian.fingerprint()}/{self.config.max_note_bytes}"
        if self.writer.meta("fingerprint") != fingerprint or self.writer.meta("root") != str(
            self.root
        ):
            self.writer.clear()
            report.rebuilt = True
        entries, walk_problems = walk(self.root, self.config)
        self.writer.replace_problems([*setting_problems, *walk_problems], source="walk")
        old = self.writer.files()
        current = {e.path for e in entries}
        gone = [path for path in old if path not in current]
        self._resolver = None
        self._resolvable = [e.path for e in entries if e.kind != "conflict"]
        self._apply(entries, gone, old, report, progress, cold=not old)
        self.writer.set_meta("fingerprint", fingerprint)
        self.writer.set_meta("root", str(self.root))
        report.files = len(entries)
        report.notes = self.writer.count("notes")
        report.seconds = time.perf_counter() - start
        return report

    def update(self, paths: Iterable[str]) -> ScanReport:
        """Apply changes to the given vault-relative paths (created, modified, deleted, or folders
        moved in or out), as the watcher reports them. Settings changes fall back to `scan()`."""
        paths = list(dict.fromkeys(paths))
        if self._resolvable is None or any(is_settings(p) for p in paths):
            return self.scan()
        try:
            with self.writer.transaction():
                return self._update(paths)
        except IndexDamaged as damage:
            return self.heal(damage)

    def _update(self, paths: list[str]) -> ScanReport:
        start = time.perf_counter()
        report = ScanReport()
        # An iCloud copy (`Week 2.md`) is one only while its original exists: look again.
        asked = set(paths)
        paths += [s for s in icloud_copies(self.root, paths) if s not in asked]
        old = self.writer.files_at(paths)
        entries: dict[str, FileEntry] = {}
        gone: set[str] = set()
        walk_problems: list[Problem] = []
        for path in paths:
            target = self.root / path
            if target.is_dir() and not is_hidden(path):
                found, problems = walk(target, self.config, self.root)
                entries.update({f"{path}/{e.path}": _moved(e, f"{path}/{e.path}") for e in found})
                walk_problems += [_moved_problem(p, path) for p in problems]
                gone.update(p for p in old if p.startswith(path + "/") and p not in entries)
                continue
            entry = entry_for(self.root, path, self.config)
            if entry is not None:
                entries[path] = entry
            else:
                special = not_a_file_at(self.root, path)
                walk_problems += [special] if special else []
                gone.update(p for p in old if p == path or p.startswith(path + "/"))
        for path in gone:
            self.resolver.remove(path)
        for entry in entries.values():
            if entry.kind == "conflict":
                self.resolver.remove(entry.path)
            else:
                self.resolver.add(entry.path)
        # A pipe, device or socket is no entry: what the walk said of it is said again above.
        self.writer.remove_problems_of_kind("not-a-file", paths)
        self.writer.put_problems(walk_problems, source="walk")
        self._apply(list(entries.values()), sorted(gone), old, report, None, force=True)
        report.files = self.writer.count("files")
        report.notes = self.writer.count("notes")
        report.seconds = time.perf_counter() - start
        return report

    def differs(self, path: str) -> bool:
        """Whether the vault-relative `path` on disk is not what the index holds: a file's size,
        mtime or kind differs, or it came or went. A settings file always differs; a folder
        only when the index holds nothing below it and it is not empty (moved in): its own
        events come with every change to a file in it."""
        if is_settings(path):
            return True
        rows = self.writer.files_at([path])
        full = self.root / path
        if full.is_dir():
            return not rows and not _empty(full)
        entry, row = entry_for(self.root, path, self.config), rows.get(path)
        if entry is None:
            return bool(rows)
        if row is None:
            return True
        return (row.size, row.mtime_ns, row.kind) != (entry.size, entry.mtime_ns, entry.kind)

    def _apply(
        self,
        entries: list[FileEntry],
        gone: list[str],
        old: dict[str, FileRow],
        report: ScanReport,
        progress: Progress | None,
        *,
        force: bool = False,
        cold: bool = False,
    ) -> None:
        """Store what changed. `force` re-hashes files even when size and mtime are unchanged
        (the watcher was told they changed; two saves can share an mtime); `cold` says the
        index held nothing before."""
        writer = self.writer
        names: set[str] = set()
        files: list[FileRow] = []
        to_read: list[tuple[str, str | None]] = []
        for entry in entries:
            before = old.get(entry.path)
            if before is None:
                report.added.append(entry.path)
                names.add(file_name(entry.path))
            elif (
                not force
                and before.size == entry.size
                and before.mtime_ns == entry.mtime_ns
                and before.kind == entry.kind
            ):
                continue
            elif before.kind != entry.kind:
                names.add(file_name(entry.path))
                writer.remove_file(entry.path)
            files.append(
                FileRow(
                    entry.path,
                    entry.size,
                    entry.mtime_ns,
                    before.hash if before and entry.kind == "note" else None,
                    entry.kind,
                )
            )
            if entry.kind == "note":
                to_read.append(
                    (entry.path, before.hash if before and before.kind == "note" else None)
                )
            elif entry.kind in FILE_PROBLEMS:
                kind, message = FILE_PROBLEMS[entry.kind]
                writer.remove_file_problems([entry.path])  # edited again: still one problem
                writer.put_problems([Problem(entry.path, None, kind, message)], source="file")
            if before is not None and entry.kind != "note":
                report.changed.append(entry.path)
        writer.put_files(files)
        for path in gone:
            writer.remove_file(path)
            report.removed.append(path)
            names.add(file_name(path))
        sizes = {e.path: e for e in entries}
        batch: list[Parsed] = []
        rewritten: set[str] = set()
        for done, parsed in enumerate(self._read_all(to_read), 1):
            if progress:
                progress(done, len(to_read))
            if parsed.hash is not None or parsed.problem is not None:  # else: same content
                batch.append(parsed)
                rewritten.add(parsed.path)
            if len(batch) >= BATCH or done == len(to_read):
                self._store_parsed(batch, sizes, old, report)
                batch = []
        if not cold:  # in a cold scan every link was just resolved against the final file set
            self._reresolve(names, skip=rewritten)

    def _store_parsed(
        self,
        batch: list[Parsed],
        sizes: dict[str, FileEntry],
        old: dict[str, FileRow],
        report: ScanReport,
    ) -> None:
        writer = self.writer
        existed = [p.path for p in batch if p.path in old]
        report.changed += existed
        writer.remove_file_problems(existed)
        writer.put_files(
            FileRow(p.path, sizes[p.path].size, sizes[p.path].mtime_ns, p.hash, "note")
            for p in batch
        )
        for parsed in batch:
            if parsed.problem is not None:
                writer.remove_note(parsed.path)
                writer.put_problems([parsed.problem], source="file")
        writer.put_notes((p.rows for p in batch if p.rows is not None), replace=bool(existed))

    def _read_all(self, items: list[tuple[str, str | None]]) -> Iterator[Parsed]:
        if not items:  # a no-change scan never builds the resolver
            return iter(())
        return read_notes(self.root, self.obsidian, self.resolver, items)

    def _reresolve(self, names: set[str], skip: set[str]) -> None:
        """Resolve again the links that can point to a file that came or went (by base name),
        except in the notes in `skip`."""
        if not names:
            return
        resolve = self.resolver.resolve
        self.writer.set_link_paths(
            [
                (resolve(target, src), src, seq)
                for src, seq, target in self.writer.links_named(names)
                if src not in skip
            ]
        )


def _empty(folder: Path) -> bool:
    try:
        with os.scandir(folder) as entries:
            return next(entries, None) is None
    except OSError:
        return True


def _moved(entry: FileEntry, path: str) -> FileEntry:
    return entry._replace(path=path)


def _moved_problem(problem: Problem, folder: str) -> Problem:
    """A problem found walking `folder` on its own, with its path from the vault root."""
    path = f"{folder}/{problem.path}" if problem.path else folder
    return replace(problem, path=path)


@contextmanager
def open_index(root: Path, index_path: Path | None = None) -> Iterator[Index]:
    """The index of `root`, closed on the way out. Interrupted (an error, Ctrl-C, a stop), what
    was not committed is rolled back: a scan is one transaction, kept whole or not at all.
    What goes wrong with the index file is raised in one line naming it; a damaged file found
    on the way is moved aside (`IndexDamaged`, `healed`: run the work again to rebuild it)."""
    index = Index(root, index_path)
    try:
        with translated(index.path):
            yield index
    except IndexDamaged as damage:
        index.heal(damage)
        raise IndexDamaged(str(damage), reason=damage.reason, healed=True) from None
    except BaseException:
        index.writer.rollback()
        raise
    finally:
        index.close()
