"""The safe writer: the only way vaultnet puts bytes into a vault.

Every write goes to a short dot-named temp file in the target's folder (`.vaultnet-PID-N`, never
`.md`, so neither Obsidian nor the index sees it, and short whatever the target's name), is
fsynced, then `os.replace`d over the target: a crash leaves the old file or the new one, never a
truncated one, and `clean_temp_files` removes what a crash left behind. Identical bytes are never
rewritten. Nothing is written outside the vault, in a dot folder or through a symlink, page or
folder (`vaultnet.pages.places`), over a user's note, over an offloaded iCloud stub, or over a
generated page the user edited: the page's marker frontmatter holds the hash of the body vaultnet
wrote, so an edit is recognised on any machine, even after the index is rebuilt. The last check
and the replace (or removal) happen under the vault's short write lock (`lock.write_lock`), which
`touch` takes too. A full disk or an I/O error stops the command (`WriteFailed`): every later
write would fail the same way; a file's own trouble (permissions) refuses that file alone.
"""

from __future__ import annotations

import errno
import hashlib
import itertools
import os
import re
import shlex
import stat
from dataclasses import dataclass
from pathlib import Path

from vaultnet.errors import LockHeld, WriteFailed
from vaultnet.pages.lock import write_lock
from vaultnet.pages.places import SymlinkedFolder, UnsafeWrite, recheck, target_path
from vaultnet.vault.model import GENERATOR_KEY, HASH_KEY

"""Frontmatter key holding the hash of the body vaultnet wrote."""
TEMP_SUFFIX = ".vaultnet-tmp"
"""Every temp file vaultnet makes is a dot file ending with this (older ones too)."""
_TEMP_NUMBERS = itertools.count()
GENERATOR_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")
MARKER = re.compile(
    rf"---\n{GENERATOR_KEY}: ([a-z0-9_-]+)\n{HASH_KEY}: ([0-9a-f]+)\n(?:[^\n]*\n)*?---\n"
)

WRITTEN, UNCHANGED, REMOVED, REFUSED = "written", "unchanged", "removed", "refused"
KEPT = "kept"
"""An outcome of `generate --force`: the user's version of an edited page, kept as a note of
theirs beside it (`vaultnet.pages.keep`)."""
FOOTER = (
    "*vaultnet keeps this page current. If you edit it, it stops updating: delete it, or run "
    "`vaultnet generate --force`, which keeps your version beside it, to get updates back.*\n"
)
"""The last line of every generated page: what an edit does, and how to undo it."""
STOPPING = frozenset(
    code
    for code in (errno.ENOSPC, getattr(errno, "EDQUOT", None), errno.EIO, errno.EFBIG, errno.EROFS)
    if code is not None
)
"""Write errors that every later write would meet too: the command stops (`WriteFailed`)."""


@dataclass(frozen=True, slots=True)
class Outcome:
    path: str
    action: str
    """`written`, `unchanged`, `removed` or `refused`."""
    reason: str = ""
    """Why a page was refused (or renamed), in words for `doctor`."""
    via: str = ""
    """The symlinked folder a refused page would have been written through (one problem for
    all the pages it refused)."""


@dataclass(frozen=True, slots=True)
class Marker:
    generator: str
    hash: str


def body_hash(body: str) -> str:
    return hashlib.blake2b(body.encode("utf-8"), digest_size=16).hexdigest()


def render_page(generator: str, body: str) -> bytes:
    """A generated page: the marker frontmatter, then the body and the `FOOTER` (a body that
    already ends with it, as read back from a page, gets it once). Same input, same bytes."""
    if not GENERATOR_NAME.fullmatch(generator):
        raise UnsafeWrite(f"generator name {generator!r} must be lowercase letters, digits, - or _")
    body = body if body.endswith("\n") else body + "\n"
    if not body.endswith(FOOTER):
        body = f"{body}\n{FOOTER}"
    return _page_bytes(generator, body)


def _page_bytes(generator: str, body: str) -> bytes:
    """The marker frontmatter (hashing `body`) followed by `body`, exactly."""
    head = (
        f"---\n{GENERATOR_KEY}: {generator}\n{HASH_KEY}: {body_hash(body)}\n"
        "publish: false\ndg-publish: false\n---\n"
    )
    return (head + body).encode("utf-8")


def read_marker(data: bytes) -> tuple[Marker | None, str]:
    """The marker of a generated page and its body; (None, "") when the bytes carry no marker."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None, ""
    match = MARKER.match(text)
    if match is None:
        return None, ""
    return Marker(match.group(1), match.group(2)), text[match.end() :]


def is_pristine(data: bytes) -> bool:
    """True when these bytes are exactly what vaultnet wrote: marker, body and the hash agree
    (a page from a version before `FOOTER` too). Any edit (body or frontmatter) makes a page the
    user's."""
    marker, body = read_marker(data)
    return (
        marker is not None
        and body_hash(body) == marker.hash
        and data == _page_bytes(marker.generator, body)
    )


def icloud_stub(target: Path) -> Path:
    return target.with_name(f".{target.name}.icloud")


def write_page(
    root: Path, path: str, generator: str, body: str, *, dry_run: bool = False
) -> Outcome:
    """Write one generated page unless that would overwrite something that is not vaultnet's
    own unedited output."""
    data = render_page(generator, body)
    try:
        target = target_path(root, path)
        current = read_current(target)
    except UnsafeWrite as error:
        return refusal(path, error)
    if current == data:
        return Outcome(path, UNCHANGED)
    if current is not None:
        reason = _not_ours(current, generator, path)
        if reason:
            return Outcome(path, REFUSED, reason)
    if not dry_run:
        try:
            replace_file(root, target, data, expect=current)
        except (UnsafeWrite, LockHeld) as error:
            return refusal(path, error)
        except OSError as error:
            return failure(path, error)
    return Outcome(path, WRITTEN)


def refusal(path: str, error: Exception) -> Outcome:
    """A refused outcome whose reason is the error's message without the file name it starts
    with (the outcome names the file)."""
    message = str(error)
    for prefix in (f"{path}: ", f"{path.rpartition('/')[2]}: "):
        message = message.removeprefix(prefix)
    return Outcome(path, REFUSED, message, error.link if isinstance(error, SymlinkedFolder) else "")


def failure(path: str, error: OSError, doing: str = "write") -> Outcome:
    """A write that failed for the file alone (permissions: refused, the others go on), or
    `WriteFailed` for what fails every write after it (a full disk, an I/O error): the command
    stops, and what it wrote before is whole."""
    if error.errno in STOPPING:
        raise WriteFailed(
            f"{path}: cannot {doing} ({error.strerror or error}); stopped there: what was "
            "written before is whole"
        ) from None
    return Outcome(path, REFUSED, f"cannot {doing}: {error.strerror or error}")


def remove_page(root: Path, path: str, generator: str, *, dry_run: bool = False) -> Outcome:
    """Remove a generated page that is no longer wanted, unless the user edited it (checked
    again, under the write lock, just before the file goes)."""
    try:
        target = target_path(root, path)
        current = read_current(target)
    except UnsafeWrite as error:
        return refusal(path, error)
    if current is None:
        return Outcome(path, UNCHANGED)
    reason = _not_ours(current, generator, path)
    if reason:
        return Outcome(path, REFUSED, reason.replace("left as it is", "not removed"))
    return remove_unchanged(root, path, target, current, dry_run=dry_run)


def remove_unchanged(
    root: Path, path: str, target: Path, judged: bytes, *, dry_run: bool
) -> Outcome:
    """Remove `target` if it still holds the bytes it was judged on."""
    if dry_run:
        return Outcome(path, REMOVED)
    try:
        with write_lock(root):
            recheck(root, target)
            now = read_current(target)
            if now is None:
                return Outcome(path, UNCHANGED)
            if now != judged:
                return Outcome(path, REFUSED, "changed while vaultnet was removing it; kept")
            target.unlink(missing_ok=True)
    except (UnsafeWrite, LockHeld) as error:
        return refusal(path, error)
    except OSError as error:
        return failure(path, error, "remove")
    return Outcome(path, REMOVED)


def remove_conflict_copy(
    root: Path, path: str, generator: str | None = None, *, dry_run: bool = False
) -> Outcome | None:
    """A sync tool's conflict copy of a generated page: removed when it is still exactly vaultnet's
    output (both sides wrote the same deterministic page), refused when the user edited it, None
    when it is not a generated page at all (the user's conflict, left alone), when it carries
    another generator's marker than `generator`, or when it is not really inside the vault."""
    try:
        target = target_path(root, path)
        data = read_current(target)
    except UnsafeWrite:
        return None
    if data is None:
        return None
    marker, _ = read_marker(data)
    if marker is None or (generator is not None and marker.generator != generator):
        return None
    if not is_pristine(data):
        return Outcome(path, REFUSED, "a sync conflict copy of a generated page that you edited")
    return remove_unchanged(root, path, target, data, dry_run=dry_run)


def conflict_original(path: str) -> str | None:
    """The page a sync conflict copy was made of (`X.sync-conflict-....md`, `X (conflicted
    copy ...).md`, iCloud's `X 2.md` -> `X.md`), or None."""
    from vaultnet.vault.files import CONFLICT_PATTERNS, ICLOUD_DUPLICATE

    folder, _, name = path.rpartition("/")
    for pattern in CONFLICT_PATTERNS:
        match = pattern.search(name)
        if match:
            original = (name[: match.start()].rstrip(" ") + name[match.end() :]).strip()
            break
    else:
        duplicate = ICLOUD_DUPLICATE.fullmatch(name)
        if duplicate is None:
            return None
        original = duplicate.group(1) + duplicate.group(3)
    return f"{folder}/{original}" if folder else original


def _not_ours(current: bytes, generator: str, path: str) -> str:
    marker, _ = read_marker(current)
    if marker is None:
        return "a note of yours is at this path; left as it is"
    if marker.generator != generator:
        return f"this page belongs to the {marker.generator!r} generator; left as it is"
    if not is_pristine(current):
        return edited_reason(path)
    return ""


def edited_reason(path: str) -> str:
    """Why an edited page was left as it is, and how to get its updates back (`generate` and
    `doctor` say the same)."""
    stem = path.rpartition("/")[2].removesuffix(".md")
    return (
        "you edited this page, so vaultnet no longer updates it; to get updates back, delete "
        f"it or run: vaultnet generate --force --page {shlex.quote(stem)} (your version is kept "
        f"beside it as '{stem} (edited).md')"
    )


def read_current(target: Path) -> bytes | None:
    """The bytes at `target`, None when nothing is there; UnsafeWrite for a symlink, a folder, or
    a note iCloud has offloaded (its `.Name.md.icloud` stub is there instead)."""
    if os.path.lexists(icloud_stub(target)):
        raise UnsafeWrite(f"{target.name}: iCloud has offloaded this file; open it to download")
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise UnsafeWrite(f"{target.name}: cannot read ({error.strerror or error})") from None
    if stat.S_ISLNK(info.st_mode):
        raise UnsafeWrite(f"{target.name}: is a symlink; vaultnet never writes through one")
    if not stat.S_ISREG(info.st_mode):
        raise UnsafeWrite(f"{target.name}: is not a regular file")
    try:
        return target.read_bytes()
    except OSError as error:
        raise UnsafeWrite(f"{target.name}: cannot read ({error.strerror or error})") from None


def replace_file(root: Path, target: Path, data: bytes, *, expect: bytes | None) -> None:
    """Atomically make `target` (a file in the vault at `root`) hold `data`. `expect` is what the
    caller read: if the file changed since (the user saved, `touch` appended), nothing is
    replaced and UnsafeWrite is raised. The last check and the rename happen under the vault's
    write lock."""
    recheck(root, target)
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = write_temp_file(target.parent, data)
    try:
        with write_lock(root):
            recheck(root, target)  # no folder on the way became a symlink meanwhile
            if expect is not None:
                os.chmod(temp, stat.S_IMODE(os.stat(target).st_mode))
            if _read_or_none(target) != expect:
                raise UnsafeWrite(
                    f"{target.name}: changed while vaultnet was writing; left as it is"
                )
            os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _fsync_folder(target.parent)


def write_temp_file(folder: Path, data: bytes, *, sync: bool = True) -> Path:
    """A new fsynced temp file holding `data` in `folder`, named `.vaultnet-PID-N.vaultnet-tmp`
    (short whatever the target's name, so a 255-byte note name still fits). `sync=False`: the
    caller flushes many temp files at once (`append.create_notes`)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    while True:
        temp = folder / f".vaultnet-{os.getpid()}-{next(_TEMP_NUMBERS)}{TEMP_SUFFIX}"
        try:
            fd = os.open(temp, flags, 0o666)
            break
        except FileExistsError:  # left by a killed process with the same pid
            continue
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            if sync:
                os.fsync(fd)
        finally:
            os.close(fd)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return temp


def _read_or_none(target: Path) -> bytes | None:
    try:
        return target.read_bytes()
    except FileNotFoundError:
        return None


def _fsync_folder(folder: Path) -> None:
    """Make the rename durable. A failure here comes after the file was replaced: the write
    happened, so it is not reported as refused."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError:
        pass


def clean_temp_files(root: Path) -> list[str]:
    """Remove temp files a killed vaultnet left behind (call while holding the vault's lock)."""
    removed: list[str] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if name.startswith(".") and name.endswith(TEMP_SUFFIX):
                full = Path(folder, name)
                full.unlink(missing_ok=True)
                removed.append(full.relative_to(root).as_posix())
    return sorted(removed)
