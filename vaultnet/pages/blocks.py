"""Marked blocks: vaultnet's section at the end of a user's note.

    <!-- vaultnet:related:begin hash=... -->
    ...text vaultnet owns...
    <!-- vaultnet:related:end -->

Only the text between two intact markers is ever replaced, and only when it still hashes to the
value in the begin marker (the user did not edit it). A note whose markers are damaged, or that
changed in the last few seconds (the user may be typing), is left alone and reported. Adding a
block appends it after a blank line; removing it takes exactly those bytes away again.

The note is replaced as a whole by the safe writer (a new file renamed over it, so its inode
changes; its bytes outside the block do not). The last check and the rename happen under the
vault's write lock, which `touch` takes for its appends: a logged line is never lost.
"""

from __future__ import annotations

import re
from pathlib import Path

from vaultnet.errors import LockHeld
from vaultnet.pages.places import UnsafeWrite, target_path
from vaultnet.pages.write import (
    REFUSED,
    REMOVED,
    UNCHANGED,
    WRITTEN,
    Outcome,
    body_hash,
    failure,
    read_current,
    refusal,
    replace_file,
)
from vaultnet.vault.model import block_begin, block_end

QUIET_SECONDS = 5.0
"""A note saved more recently than this is not touched (the user may still be typing)."""


def begin_marker(name: str, content: str) -> str:
    return block_begin(name, body_hash(content))


def end_marker(name: str) -> str:
    return block_end(name)


def write_block(
    root: Path,
    path: str,
    name: str,
    content: str,
    *,
    now: float,
    quiet_seconds: float = QUIET_SECONDS,
    dry_run: bool = False,
) -> Outcome:
    """Make the `name` block of the note at `path` hold `content` (empty: remove the block)."""
    try:
        target = target_path(root, path)
        current = read_current(target)
        if current is None:
            return Outcome(path, UNCHANGED) if not content else Outcome(path, REFUSED, "gone")
        text = current.decode("utf-8")
    except UnsafeWrite as error:
        return refusal(path, error)
    except UnicodeDecodeError:
        return Outcome(path, REFUSED, "not UTF-8 text; block left out")
    newline = "\r\n" if "\r\n" in text else "\n"
    if content and not content.endswith("\n"):
        content += "\n"
    content = content.replace("\r\n", "\n").replace("\n", newline)
    try:
        updated = splice_block(text, name, content, newline)
    except ValueError as error:
        return Outcome(path, REFUSED, str(error))
    if updated == text:
        return Outcome(path, UNCHANGED)
    try:
        saved = target.stat().st_mtime
    except OSError:
        return Outcome(path, REFUSED, "gone or unreadable while vaultnet was reading it")
    if now - saved < quiet_seconds:
        return Outcome(path, REFUSED, "changed in the last few seconds; will try again later")
    if not dry_run:
        try:
            replace_file(root, target, updated.encode("utf-8"), expect=current)
        except (UnsafeWrite, LockHeld) as error:
            return refusal(path, error)
        except OSError as error:
            return failure(path, error)
    return Outcome(path, WRITTEN if content else REMOVED)


def splice_block(text: str, name: str, content: str, newline: str = "\n") -> str:
    """`text` with its `name` block holding `content` (pure). Raises ValueError, in words for the
    user, when the markers are damaged or the user edited the text between them."""
    begin = re.compile(
        rf"^<!-- vaultnet:{re.escape(name)}:begin hash=([0-9a-f]{{32}}) -->\r?$", re.MULTILINE
    )
    end = re.compile(rf"^<!-- vaultnet:{re.escape(name)}:end -->\r?$", re.MULTILINE)
    begins, ends = list(begin.finditer(text)), list(end.finditer(text))
    mentions = text.count(f"vaultnet:{name}:")
    if not begins and not ends and not mentions:
        if not content:
            return text
        return f"{text}{newline}{begin_marker(name, content)}{newline}{content}{end_marker(name)}{newline}"
    if len(begins) != 1 or len(ends) != 1 or mentions != 2 or ends[0].start() < begins[0].end():
        raise ValueError(f"the vaultnet:{name} markers are damaged; fix or remove them")
    first, last = begins[0], ends[0]
    inner_start = text.index("\n", first.start()) + 1
    inner = text[inner_start : last.start()]
    if body_hash(inner) != first.group(1):
        raise ValueError(f"you edited the vaultnet:{name} block; left as it is")
    if content:
        head = text[: first.start()] + begin_marker(name, content) + newline
        return head + content + text[last.start() :]
    before = text[: first.start()]
    start = len(before) - (2 if before.endswith("\r\n") else 1 if before.endswith("\n") else 0)
    stop = last.end()
    stop += 2 if text.startswith("\r\n", stop) else 1 if text.startswith("\n", stop) else 0
    return text[:start] + text[stop:]
