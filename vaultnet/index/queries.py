"""Read-only questions the CLI asks the index: find a note by name, a note as JSON, all problems."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from vaultnet.errors import NoteNotFound
from vaultnet.index.scan import Index
from vaultnet.index.view import IndexView
from vaultnet.vault.lookup import Named, Wording, find_named
from vaultnet.vault.model import Link, Problem, to_json
from vaultnet.vault.resolve import note_stem


def find_note(index: Index, name: str) -> str:
    """A note's path from a vault-relative path, link text, title or alias: as Obsidian resolves
    the link first, then by name in any case or accents (`vaultnet.vault.lookup`); a near miss
    is an error suggesting the closest notes."""
    view = index.view
    exact = name.strip().replace("\\", "/").removeprefix("./")
    if exact.lower().endswith(".md") and view.note(exact) is not None:
        return exact  # a note's own path: what any link of it resolves to (no resolver built)
    path = index.resolve(exact) if exact else None
    if path is not None and view.note(path) is not None:
        return path  # a path or name as it is, `#` or `|` included (`Ideas/Issue #5.md`)
    wanted = name.strip().removeprefix("[[").removesuffix("]]").split("|")[0].split("#")[0]
    wanted = wanted.strip().replace("\\", "/").removeprefix("./")
    path = index.resolve(wanted)
    if path is not None and view.note(path) is not None:
        return path
    items = [
        Named(path, (note_stem(path), title, *aliases))
        for path, title, aliases in sorted(view.note_names())
    ]
    return find_named(wanted, items, Wording(where=f" in {index.root}"))


def note_json(view: IndexView, path: str) -> dict[str, Any]:
    """The `vaultnet note --json` record (a stable contract: every key always present)."""
    row = view.note(path)
    if row is None:
        raise NoteNotFound(f"{path}: not an indexed note")
    backlinks = sorted(
        {(link.src, link.line) for link in view.links_into([path]) if link.src != path}
    )
    return {
        "path": row.path,
        "title": row.title,
        "aliases": list(row.aliases),
        "tags": list(row.tags),
        "frontmatter": to_json(row.frontmatter),
        "date": row.date.isoformat() if row.date else None,
        "links": [
            {
                "target": k.link.target,
                "path": k.path,
                "kind": k.link.kind,
                "heading": k.link.heading,
                "block": k.link.block,
                "display": k.link.display,
                "line": k.link.line,
                "commented": k.link.commented,
            }
            for k in view.links_from([path])
        ],
        "backlinks": [{"path": src, "line": line} for src, line in backlinks],
    }


def all_problems(view: IndexView, extra: Iterable[Problem] = ()) -> list[Problem]:
    """Stored problems, unresolved links (outside templates, comments and generated pages) and
    `extra` (what a feature finds when asked, such as people's unreadable values), sorted."""
    problems = [*view.problems(), *extra]
    for link in view.unresolved_links():
        problems.append(
            Problem(
                link.src,
                link.link.line,
                "unresolved-link",
                f"{_as_written(link.link)} matches no file in the vault",
            )
        )
    return sorted(problems, key=lambda p: (p.path, p.line or 0, p.kind, p.message))


def _as_written(link: Link) -> str:
    """A link the way its note spells it, for messages (an image as `![alt](path)`)."""
    bang = "!" if link.kind == "embed" else ""
    if link.markdown:
        return f"{bang}[{link.display or ''}]({link.target})"
    return f"{bang}[[{link.target}]]"
