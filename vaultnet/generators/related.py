"""Related-notes pages: the vault's "Suggested links" page (pairs of idea notes) and one page per
idea note (`vaultnet.ideas`).

A per-note page lives in `<output>/Related/` and links back to its note, so it shows in that
note's backlinks. Its name ends in " (related)" so it never takes a user note's name. With
`[related] mode = "block"` the same list goes in a marked block at the end of the note itself
(`vaultnet.blocks`: only the text between the markers is ever replaced). Links in the reasons
follow the vault's link settings (wikilinks or markdown links, shortest/relative/absolute).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Mapping
from dataclasses import replace

from vaultnet.ideas import IdeaRule, is_idea
from vaultnet.links import LinkStyle, no_tags
from vaultnet.people import load_people
from vaultnet.people_config import PeopleConfig, people_config
from vaultnet.plugins import GenerateContext, Page, user_notes_changed
from vaultnet.related import Corpus, Engine, Related, corpus_from_store
from vaultnet.related.batch import Pair, related_batch
from vaultnet.related.config import related_config

SUGGESTED_PAGE = "Suggested links.md"
RELATED_FOLDER = "Related"


class RelatedGenerator:
    name = "related"

    def generate(self, context: GenerateContext) -> list[Page]:
        config = related_config(context.config.section("related"))
        people = people_config(context.config.section("people"), context.config.me)
        corpus = corpus_from_store(context.store, people)
        engine = Engine(corpus)
        output = context.config.output_folder
        notes = [p for p, f in context.store.files().items() if f.kind == "note"]
        ideas = idea_notes(context, corpus, people, config.ideas)
        batch = related_batch(engine, ideas, config.k, config.pairs)
        find = note_finder(corpus.notes)
        pages = []
        if config.pairs:
            path = f"{output}/{SUGGESTED_PAGE}"
            style = LinkStyle.for_vault(context.settings, path, notes)
            pages.append(Page(path, render_suggested(batch.pairs, style, find)))
        if config.mode == "pages":
            folder = f"{output}/{RELATED_FOLDER}/"
            style = LinkStyle.for_vault(context.settings, folder, notes)  # one folder, one style
            for subject, related in batch.suggestions.items():
                path = related_page_path(output, subject, corpus.name_count)
                body = render_related(subject, related, style, find)
                pages.append(Page(path, body, subject=subject))
        elif config.mode == "block":
            vault_style = LinkStyle.for_vault(context.settings, "", notes)
            for subject, related in batch.suggestions.items():
                # Relative links start from the note's own folder: the block is in the note.
                style = replace(vault_style, folder=posixpath.dirname(subject))
                body = render_block(related, style, find)
                pages.append(Page(subject, body, subject=subject, block=True))
        return pages

    def affects(self, context: GenerateContext, changed: set[str]) -> bool:
        """Any note's words, tags or links move global statistics, so any user note counts."""
        return user_notes_changed(context, changed)


def idea_notes(
    context: GenerateContext, corpus: Corpus, people: PeopleConfig, rule: IdeaRule
) -> list[str]:
    """The corpus's idea notes under `rule` (`vaultnet.ideas`, the rule what-to-share uses):
    a note mentions people when it links to a contact outside a comment."""
    contacts, _ = load_people(context.store, people)
    mentions = {
        link.src
        for link in context.store.incoming_links(row.path for row in contacts)
        if not link.commented
    }
    daily = context.settings.daily_date
    return [
        path
        for path, head in context.store.note_heads(corpus.notes).items()
        if is_idea(
            head,
            corpus.notes[path].tags,
            person=corpus.notes[path].person,
            daily=daily(path) is not None,
            mentions_people=path in mentions,
            rule=rule,
        )
    ]


def related_page_path(output: str, subject: str, name_count: Callable[[str], int]) -> str:
    """`<output>/Related/<name> (related).md`; the note's folder joins the name when two notes
    share it, so two subjects never share a page."""
    stem = subject.rsplit("/", 1)[-1].removesuffix(".md")
    name = stem if name_count(stem) <= 1 else subject.removesuffix(".md").replace("/", " - ")
    return f"{output}/{RELATED_FOLDER}/{name} (related).md"


def note_finder(notes: Mapping[str, object]) -> Callable[[str], str | None]:
    """The note a reason's `[[text]]` names (`graph.link_text`: a unique name, or a path)."""
    by_name: dict[str, str] = {}
    for path in notes:
        by_name.setdefault(path.rsplit("/", 1)[-1].removesuffix(".md").casefold(), path)

    def find(text: str) -> str | None:
        path = text + ".md"
        return path if path in notes else by_name.get(text.casefold())

    return find


def render_related(
    subject: str, related: list[Related], style: LinkStyle, find: Callable[[str], str | None]
) -> str:
    lines = [
        f"# Related to {style.link(subject)}",
        "",
        "Notes related to this one that it does not link to yet, strongest first.",
        "",
    ]
    lines += _items(related, style, find)
    return "\n".join(lines) + "\n"


def render_block(
    related: list[Related], style: LinkStyle, find: Callable[[str], str | None]
) -> str:
    """The section vaultnet keeps at the end of an idea note (`[related] mode = "block"`)."""
    lines = [
        "## Related notes",
        "",
        "Written by vaultnet: related notes this one does not link to yet (replaced on each run).",
        "",
    ]
    return "\n".join(lines + _items(related, style, find)) + "\n"


def _items(
    related: list[Related], style: LinkStyle, find: Callable[[str], str | None]
) -> list[str]:
    return [
        f"- {style.link(item.path)} ({item.score:.2f}): {_reasons(item.reasons, style, find)}"
        for item in related
    ]


def render_suggested(pairs: list[Pair], style: LinkStyle, find: Callable[[str], str | None]) -> str:
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
            f"{_reasons(pair.reasons, style, find)}"
        )
    return "\n".join(lines) + "\n"


_WIKILINK = re.compile(r"\[\[([^\[\]|#]+)\]\]")


def _reasons(reasons: tuple[str, ...], style: LinkStyle, find: Callable[[str], str | None]) -> str:
    """The reasons in words on one line, tags shown but not tagging the page."""
    if not reasons:
        return "related"
    return "; ".join(styled_reasons(tuple(no_tags(r) for r in reasons), style, find))


def styled_reasons(
    reasons: tuple[str, ...], style: LinkStyle, find: Callable[[str], str | None]
) -> tuple[str, ...]:
    """The reasons with their `[[links]]` written in `style` (the vault's link settings)."""

    def restyle(match: re.Match[str]) -> str:
        path = find(match.group(1))
        return style.link(path) if path is not None else match.group(0)

    return tuple(_WIKILINK.sub(restyle, reason) for reason in reasons)
