"""Every read of the index by the related-notes engine, in one place.

The engine's other modules take records (`NoteData`, paths, link rows) and never a `Store`; the
functions here turn the index into those records: the corpus built cold, the notes an edit
changed, what the live corpus compares between runs, the idea notes and the data the related
pages show.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Container, Iterable, Iterator

from vaultnet.index.rows import NoteHead, NoteRow
from vaultnet.index.store import Store, Terms
from vaultnet.people.config import PeopleConfig
from vaultnet.people.contacts import find_people, is_person_note, load_people
from vaultnet.related.build import RawNote, build_raw
from vaultnet.related.corpus import Corpus
from vaultnet.related.notes import NoteData, note_names
from vaultnet.vault.resolve import Resolver

_NO_TERMS: Terms = ({}, {}, {})


def corpus_from_store(store: Store, people: PeopleConfig | None = None) -> Corpus:
    """Every note that is the user's own (no templates, excluded files or generated pages),
    fitted. Person notes are those `vaultnet.people.contacts` recognises under `people`."""
    return build_raw(notes_of_store(store, people or PeopleConfig()))


def notes_of_store(store: Store, people: PeopleConfig) -> Iterator[RawNote]:
    """Every user note as `RawNote`, by path, read as a stream (the notes and their terms side
    by side); no note's properties are decoded but those of the notes that can be people."""
    paths = store.user_note_paths()
    names = {path: (title, aliases) for path, title, aliases in store.note_names() if path in paths}
    tags = store.tags_of(paths)
    _, persons = load_people(store, people)
    links: dict[str, set[str]] = defaultdict(set)
    for row in store.all_links():
        # Links in `%% comments %%` count: Obsidian's graph and backlinks show them too.
        if row.path in paths and row.path != row.src:
            links[row.src].add(row.path)
    terms = store.terms()
    pending = next(terms, None)
    for path in sorted(paths):
        while pending is not None and pending[0] < path:
            pending = next(terms, None)
        found = _NO_TERMS
        if pending is not None and pending[0] == path:
            found = pending[1:]
        title, aliases = names[path]
        yield RawNote(
            path,
            title,
            frozenset(tags.get(path, ())),
            path in persons,
            note_names(title, aliases),
            *found,
            links.pop(path, ()),
        )


def note_data(row: NoteRow, terms: Terms, links: Iterable[str], people: PeopleConfig) -> NoteData:
    """One user note's record: `terms` are its (term, anchored and code term counts), `links` the
    user notes it links to."""
    counts, anchored, code = terms
    return NoteData(
        row.path,
        row.title,
        frozenset(t.lower() for t in row.tags),
        tuple(sorted(counts.items())),
        frozenset(links),
        is_person_note(row, people),
        note_names(row.title, row.aliases),
        tuple(sorted(anchored.items())),
        tuple(sorted(code.items())),
    )


def notes_from_store(
    store: Store, paths: Iterable[str], people: PeopleConfig, users: Container[str]
) -> dict[str, NoteData]:
    """The records `corpus_from_store` builds for these notes, when they are user notes (the
    others are absent). `users`: every user note of the vault (a link counts only to one)."""
    rows = [r for r in store.notes_at(paths) if not (r.generator or r.template or r.excluded)]
    wanted = [r.path for r in rows]
    links = links_of(store, wanted, users)
    terms = store.terms_of(wanted)
    return {
        r.path: note_data(r, terms.get(r.path, _NO_TERMS), links.get(r.path, ()), people)
        for r in rows
    }


def links_of(store: Store, sources: Iterable[str], users: Container[str]) -> dict[str, set[str]]:
    """Source -> the user notes it links to (never itself), for these sources."""
    links: dict[str, set[str]] = defaultdict(set)
    for row in store.links_out_of(sources):
        if row.path is not None and row.path in users and row.path != row.src:
            links[row.src].add(row.path)
    return links


# --- what the live corpus compares between runs -----------------------------------------------


def basis_of(store: Store) -> tuple[str, str | None, str | None]:
    """(index path, settings fingerprint, vault root): when one changes, every note reads anew."""
    return str(store.path), store.meta("fingerprint"), store.meta("root")


def file_states(store: Store) -> dict[str, tuple[str | None, str]]:
    return store.file_states()


def user_notes(store: Store) -> set[str]:
    return store.user_note_paths()


def sources_named(store: Store, names: Iterable[str]) -> set[str]:
    """The notes holding a link whose target has one of these base names."""
    return {src for src, _, _ in store.links_named(names)}


def sources_linking(store: Store, paths: Iterable[str]) -> set[str]:
    return store.sources_linking(paths)


# --- the related pages ------------------------------------------------------------------------


def note_heads(store: Store, paths: Iterable[str]) -> dict[str, NoteHead]:
    return store.note_heads(paths)


def mentioning_people(
    store: Store, people: PeopleConfig, sources: list[str], *, every: bool
) -> set[str]:
    """The notes of `sources` that link to a contact outside a comment: from every contact's
    links when `every` note is asked about, else from these notes' own links."""
    if not sources:
        return set()
    if every:
        contacts, _ = load_people(store, people)
        links = store.incoming_links(row.path for row in contacts)
        return {link.src for link in links if not link.commented}
    out = [row for row in store.links_out_of(sources) if not row.link.commented and row.path]
    targets = store.notes_at({row.path for row in out if row.path})
    users = [r for r in targets if not (r.template or r.excluded or r.generator)]
    linked = {row.path for row in find_people(users, people)[0]}
    return {row.src for row in out if row.path in linked}


def note_paths(store: Store) -> list[str]:
    """Every note's path (what the vault's link style counts names in)."""
    return store.paths_of_kind("note")


def resolver(store: Store) -> Resolver:
    """Links resolved as the index resolves them (the learner hides links with it)."""
    return Resolver(store.files())
