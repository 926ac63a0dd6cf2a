"""Related-notes pages: the vault's "Suggested links" page and one page per idea note.

A per-note page lives in `<output>/Related/` and links back to its note, so it shows in that
note's backlinks. Its name ends in " (related)" so it never takes a user note's name.
"""

from __future__ import annotations

from collections.abc import Callable

from vaultnet.errors import ConfigError
from vaultnet.people_config import people_config
from vaultnet.plugins import GenerateContext, Page
from vaultnet.related import Engine, Related, corpus_from_store
from vaultnet.related.batch import Pair, related_batch
from vaultnet.related.config import related_config
from vaultnet.render_reconnect import LinkStyle, no_tags

SUGGESTED_PAGE = "Suggested links.md"
RELATED_FOLDER = "Related"


class RelatedGenerator:
    name = "related"

    def generate(self, context: GenerateContext) -> list[Page]:
        config = related_config(context.config.section("related"))
        if config.mode == "block":
            raise ConfigError(
                '.vaultnet.toml: [related] mode = "block" is not available yet; use "pages" or "off"'
            )
        people = people_config(context.config.section("people"), context.config.me)
        corpus = corpus_from_store(context.store, people)
        engine = Engine(corpus)
        output = context.config.output_folder
        notes = [p for p, f in context.store.files().items() if f.kind == "note"]
        ideas = [p for p, n in corpus.notes.items() if config.wants_page(p, n.tags)]
        batch = related_batch(engine, ideas, config.k, config.pairs)
        pages = []
        if config.pairs:
            path = f"{output}/{SUGGESTED_PAGE}"
            style = LinkStyle.for_vault(context.settings, path, notes)
            pages.append(Page(path, render_suggested(batch.pairs, style)))
        if config.mode == "pages":
            folder = f"{output}/{RELATED_FOLDER}/"
            style = LinkStyle.for_vault(context.settings, folder, notes)  # one folder, one style
            for subject, related in batch.suggestions.items():
                path = related_page_path(output, subject, corpus.name_count)
                pages.append(Page(path, render_related(subject, related, style), subject=subject))
        return pages

    def affects(self, context: GenerateContext, changed: set[str]) -> bool:
        """Any note's words, tags or links move global statistics, so any user note counts."""
        own = context.config.output_folder + "/"
        return any(p.lower().endswith(".md") and not p.startswith(own) for p in changed)


def related_page_path(output: str, subject: str, name_count: Callable[[str], int]) -> str:
    """`<output>/Related/<name> (related).md`; the note's folder joins the name when two notes
    share it, so two subjects never share a page."""
    stem = subject.rsplit("/", 1)[-1].removesuffix(".md")
    name = stem if name_count(stem) <= 1 else subject.removesuffix(".md").replace("/", " - ")
    return f"{output}/{RELATED_FOLDER}/{name} (related).md"


def render_related(subject: str, related: list[Related], style: LinkStyle) -> str:
    lines = [
        f"# Related to {style.link(subject)}",
        "",
        "Notes related to this one that it does not link to yet, strongest first.",
        "",
    ]
    for item in related:
        lines.append(f"- {style.link(item.path)} ({item.score:.2f}): {_reasons(item.reasons)}")
    return "\n".join(lines) + "\n"


def render_suggested(pairs: list[Pair], style: LinkStyle) -> str:
    lines = [
        "# Suggested links",
        "",
        "Related notes that do not link to each other yet, strongest first: link them, merge "
        "them, or leave them.",
        "",
    ]
    if not pairs:
        lines.append("Nothing to suggest yet.")
    for pair in pairs:
        lines.append(
            f"- {style.link(pair.first)} and {style.link(pair.second)} ({pair.score:.2f}): "
            f"{_reasons(pair.reasons)}"
        )
    return "\n".join(lines) + "\n"


def _reasons(reasons: tuple[str, ...]) -> str:
    return no_tags("; ".join(reasons)) if reasons else "related"
