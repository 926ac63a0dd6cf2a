"""Related-notes pages: the vault's "Suggested links" page (pairs of idea notes) and one page per
idea note (`vaultnet.ideas`).

A per-note page lives in `<output>/Related/` and links back to its note, so it shows in that
note's backlinks. Its name ends in " (related)" so it never takes a user note's name. With
`[related] mode = "block"` the same list goes in a marked block at the end of the note itself
(`vaultnet.pages.blocks`: only the text between the markers is ever replaced). Links in the reasons
follow the vault's link settings (wikilinks or markdown links, shortest/relative/absolute).

One generator instance lives as long as `vaultnet watch`: it keeps its corpus (`LiveCorpus`,
re-reading only the notes that changed) and its rankings (`vaultnet.related.rankings`), which an
edit updates in proportion to what it changed. After an edit the watcher first asks for
`urgent_pages`: the pages of the edited idea notes, then of the idea notes linked to or from
them (before or after the edit), at most `URGENT_NOTES`, ranked against the new corpus; then it
runs `generate`, which brings every page to exactly what a run from the same saved corpus writes.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable
from dataclasses import replace
from functools import partial

from vaultnet.ideas import IdeaRule, is_idea
from vaultnet.pages.api import GenerateContext, Page, user_notes_changed
from vaultnet.pages.links import LinkStyle
from vaultnet.people.audience import Listener, audiences
from vaultnet.people.config import PeopleConfig, ReconnectConfig
from vaultnet.people.facts import idea_facts, mention_facts, people_facts, person_notes
from vaultnet.related.calibration import Calibration, Related
from vaultnet.related.config import RelatedConfig
from vaultnet.related.corpus import Corpus
from vaultnet.related.live import Refresh
from vaultnet.related.memo import PageMemo
from vaultnet.related.phrases import Mentions, checked_pairs, true_mentions
from vaultnet.related.rankings import Rankings, rank, suggestions, update
from vaultnet.related.render import PAIR_FLOOR, render_block, render_related, render_suggested
from vaultnet.related.saved import SavedCorpus
from vaultnet.related.weights import calibration_in_use, learner_for
from vaultnet.vault.resolve import note_stem

SUGGESTED_PAGE = "Suggested links.md"
RELATED_FOLDER = "Related"
URGENT_NOTES = 10
"""At most this many pages are refreshed ahead of the full run after an edit."""


class RelatedGenerator:
    name = "related"
    order = -1
    """Runs before the other generators, which make their pages while the corpus it saves is
    written (`vaultnet.pages.plugins.run_order`)."""

    def __init__(self, *, saved: bool = True) -> None:
        """`saved`: start from the corpus saved beside the index, and save it back after a run
        (`LiveCorpus`)."""
        self._live = SavedCorpus(enabled=saved)
        self._idea_count: int | None = None
        """The idea notes the last full run counted (for `max_pages` in `urgent_pages`)."""
        self._made = PageMemo()
        """The pages made so far, to reuse those whose inputs an edit did not change."""

    @property
    def learned(self) -> Calibration | None:
        """The calibration learned for this index so far (None: none yet)."""
        return self._live.calibration

    def _refresh(
        self, context: GenerateContext, people: PeopleConfig, config: RelatedConfig, *, full: bool
    ) -> tuple[Corpus, Calibration, Refresh]:
        """The corpus brought up to date with the index, fitted again when its statistics are
        due, and the calibration in use. A `full` run first learns the calibration when it is
        stale; other callers never wait for that, and use the last one learned."""
        refresh = self._live.refresh(context.view, people)
        self._live.fit_if_due(full=full)
        before = self._live.calibration
        learner = learner_for(context.view, context.root, context.stale) if full else None
        calibration = calibration_in_use(self._live, config, learner)
        if self._live.calibration is not before and calibration.trials:
            context.notices.append(f"related notes: weights for this vault {calibration.source}")
        return self._live.corpus, calibration, refresh

    def generate(self, context: GenerateContext) -> list[Page]:
        config = context.settings.table(RelatedConfig)
        people = context.settings.table(PeopleConfig)
        corpus, calibration, _ = self._refresh(context, people, config, full=True)
        ideas = self._idea_notes(context, corpus, config.ideas)
        limited = config.pages_limited(len(ideas))
        lists = not limited and config.mode != "off"
        rankings = self._rankings(context, corpus, calibration, ideas, config, lists)
        self._live.save(context.view, behind=True)  # written while the next pages are made
        batch = rankings.batch(corpus)
        self._idea_count = len(ideas)
        pages = []
        if lists:
            listeners = idea_audiences(context, ideas)
            found = batch.suggestions
            pages = note_pages(context, corpus, found, config.mode, listeners, self._made)
        self._made.keep(page.path for page in pages)
        if limited:
            context.notices.append(limit_notice(len(ideas), config))
        if config.pairs:
            path = f"{context.config.output_folder}/{SUGGESTED_PAGE}"
            style = context.link_style(path)
            notice = limit_notice(len(ideas), config) if limited else ""
            paired = {p for pair in batch.pairs for p in (pair.first, pair.second)}
            pairs = checked_pairs(batch.pairs, Mentions(context.view, context.root, paired))
            floor = PAIR_FLOOR * sum(calibration.weights.values())
            pages.append(Page(path, render_suggested(pairs, style, notice, floor)))
        return pages

    def _idea_notes(self, context: GenerateContext, corpus: Corpus, rule: IdeaRule) -> list[str]:
        """The idea notes, asked again only of the notes that changed since the last run (of
        every note when who is a contact may have changed)."""
        key = repr(rule)
        known, recheck = self._live.known_ideas(key)
        if known is None:
            found = set(idea_notes(context, corpus, rule))
        else:
            again = sorted(p for p in recheck if p in corpus)
            found = {p for p in known - recheck if p in corpus}
            found |= set(idea_notes(context, corpus, rule, again))
        self._live.found_ideas(key, found)
        return sorted(found)

    def _rankings(
        self,
        context: GenerateContext,
        corpus: Corpus,
        calibration: Calibration,
        ideas: list[str],
        config: RelatedConfig,
        lists: bool,
    ) -> Rankings:
        """The last run's rankings brought up to date with what changed since (same fit and
        settings), or ranked from scratch."""
        found = self._live.rankings
        changed, corpus.dirty = corpus.dirty, set()
        try:
            if found is not None and found.matches(
                calibration, corpus.generation, config.k, config.pairs, lists
            ):
                if not update(found, corpus, ideas, changed, context.stale):
                    return found  # as the last run left them (and saved them)
            else:
                found = rank(
                    corpus,
                    ideas,
                    calibration,
                    config.k,
                    config.pairs,
                    lists=lists,
                    stale=context.stale,
                    generation=corpus.generation,
                )
        except BaseException:
            corpus.dirty |= changed  # the next run updates them again
            raise
        self._live.remember(found)
        return found

    def urgent_pages(self, context: GenerateContext, changed: set[str]) -> list[Page]:
        """The pages of the edited idea notes, then of the idea notes linked with them before
        or after the edit (path order), at most `URGENT_NOTES`, exactly as `generate` would
        write them now. None in `block` mode (a note just saved keeps its block until it is
        quiet anyway) or `off` mode."""
        config = context.settings.table(RelatedConfig)
        people = context.settings.table(PeopleConfig)
        corpus, calibration, refresh = self._refresh(context, people, config, full=False)
        if config.mode != "pages":
            return []
        # Counting the idea notes costs a pass over the vault (2 s at 100k): only when the limit
        # can apply, and then the last full run's count (which follows this at once anyway).
        if 0 < config.max_pages < len(corpus):
            count = self._idea_count
            if count is None:
                count = len(idea_notes(context, corpus, config.ideas))
            if config.pages_limited(count):
                return []
        edited = set(changed) if refresh.rebuilt else set(refresh.edited)
        near = set(refresh.relinked)
        for links in (refresh.before or {}).values():
            near.update(links)
        for path in edited:
            near.update(corpus.neighbours(path))
        first = sorted(p for p in edited if p in corpus)
        then = sorted(p for p in near - edited if p in corpus)
        ideas = set(idea_notes(context, corpus, config.ideas, [*first, *then]))
        chosen = [p for p in [*first, *then] if p in ideas][:URGENT_NOTES]
        found = suggestions(corpus, chosen, calibration, config.k)
        listeners = idea_audiences(context, chosen)
        return note_pages(context, corpus, found, config.mode, listeners, self._made)

    def affects(self, context: GenerateContext, changed: set[str]) -> bool:
        """Any note's words, tags or links can move its own and others' pages."""
        return user_notes_changed(context, changed)


def note_pages(
    context: GenerateContext,
    corpus: Corpus,
    found: dict[str, list[Related]],
    mode: str,
    listeners: dict[str, tuple[Listener, ...]] | None = None,
    memo: PageMemo | None = None,
) -> list[Page]:
    """One page per note of `found` or `listeners` (its audience) in `pages` mode, one block in
    `block` mode, none in `off`; with `memo`, a page whose inputs did not change since it was
    last made is not made again (`vaultnet.related.memo`)."""
    output = context.config.output_folder
    listeners = listeners or {}
    memo = PageMemo() if memo is None else memo
    mentions = Mentions(context.view, context.root)
    versions = context.view.file_states()
    subjects = sorted(found.keys() | listeners.keys())
    pages = []
    if mode == "pages":
        folder = f"{output}/{RELATED_FOLDER}/"
        style = context.link_style(folder)  # one folder, one style
    elif mode == "block":
        vault_style = context.link_style("")
    else:
        return []
    for subject in subjects:
        items, audience = found.get(subject, []), listeners.get(subject, ())
        if mode == "pages":
            path, block, render = (
                related_page_path(output, subject, corpus.name_count),
                False,
                render_related,
            )
        else:
            # Relative links start from the note's own folder: the block is in the note.
            path, block = subject, True
            style = replace(vault_style, folder=posixpath.dirname(subject))
            render = render_block
        read = (subject, *(item.path for item in items))
        shown = tuple((item.path, item.reasons) for item in items)  # the score is not shown
        heard = tuple((who.contact.path, who.contact.status, who.reasons) for who in audience)
        inputs = (subject, style, shown, heard, tuple(versions.get(p) for p in read))
        make = partial(_made, render, mentions, subject, items, style, audience)
        pages.append(Page(path, memo.body(path, inputs, make), subject=subject, block=block))
    return pages


def _made(
    render: Callable[[str, list[Related], LinkStyle, tuple[Listener, ...]], str],
    mentions: Mentions,
    subject: str,
    related: list[Related],
    style: LinkStyle,
    audience: tuple[Listener, ...],
) -> str:
    """A page's body: its mention reasons checked against the vault's text, then rendered."""
    return render(
        subject, true_mentions(subject, related, mentions.names, mentions.text), style, audience
    )


AUDIENCE = 3
"""People listed under "People who would care" on an idea's related page."""


def idea_audiences(context: GenerateContext, ideas: list[str]) -> dict[str, tuple[Listener, ...]]:
    """Idea path -> the contacts who would care about it (`vaultnet.people.audience`), from the
    run's people and idea facts."""
    if not ideas:
        return {}
    return audiences(
        context.facts(people_facts),
        context.facts(mention_facts),
        context.facts(idea_facts),
        context.settings.table(ReconnectConfig),
        ideas,
        AUDIENCE,
    )


def idea_notes(
    context: GenerateContext, corpus: Corpus, rule: IdeaRule, paths: Iterable[str] | None = None
) -> list[str]:
    """The corpus's idea notes under `rule` (`vaultnet.ideas`, the rule what-to-share uses), by
    path: all of them from the run's idea facts, or among `paths` alone (an edit's few notes,
    without gathering every note): a dated note there is a meeting when it links to a contact
    outside a comment."""
    if paths is None:
        ideas = context.facts(idea_facts).under(rule)
        return sorted(path for path in corpus.live_paths() if path in ideas)
    wanted = [p for p in paths if p in corpus]
    heads = context.view.note_heads(wanted)
    dated = [path for path, head in heads.items() if head.date is not None]
    mentions = _mentioning_people(context, dated)
    daily = context.obsidian.daily_date
    return sorted(
        path
        for path, head in heads.items()
        if is_idea(
            head,
            corpus.tags_of(path),
            person=corpus.is_person(path),
            daily=daily(path) is not None,
            mentions_people=path in mentions,
            rule=rule,
        )
    )


def _mentioning_people(context: GenerateContext, sources: list[str]) -> set[str]:
    """The notes of `sources` that link to a contact outside a comment."""
    if not sources:
        return set()
    contacts = {row.path for row in context.facts(person_notes).contacts}
    links = context.view.links_from(sources)
    return {row.src for row in links if not row.link.commented and row.path in contacts}


def related_page_path(output: str, subject: str, name_count: Callable[[str], int]) -> str:
    """`<output>/Related/<name> (related).md`; the note's folder joins the name when two notes
    share it (`name_count`: how many notes have a name, by Obsidian's rule, `resolve.fold`), so
    two subjects never share a page."""
    name = note_stem(subject)
    if name_count(name) > 1:
        name = posixpath.join(posixpath.dirname(subject), name).replace("/", " - ")
    return f"{output}/{RELATED_FOLDER}/{name} (related).md"


def limit_notice(ideas: int, config: RelatedConfig) -> str:
    """Why a large vault got no page per idea note, and how to get them."""
    return (
        f"related: {ideas} idea notes, more than [related] max_pages = {config.max_pages}, so "
        "no page per idea note was written; narrow "
        '[related] folders or tags, or set max_pages = 0 for them all, or mode = "block" '
        "for a section in each note"
    )
