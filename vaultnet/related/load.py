"""Every read of the index by the related-notes engine, in one place.

The engine's other modules take records (`NoteData`, paths, link rows) and never the index; the
functions here turn the index (`IndexView`) into those records: the corpus built cold, the notes
an edit changed, what the live corpus compares between runs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Container, Iterable, Iterator

from vaultnet.index.rows import FileState, NoteRow, Terms
from vaultnet.index.view import IndexView
from vaultnet.people.config import PeopleConfig
from vaultnet.related.build import CHUNK, NO_TERMS, RawNote, build_raw, raw_note
from vaultnet.related.corpus import Corpus
from vaultnet.related.notes import NoteData, note_names, titled
from vaultnet.vault.resolve import Resolver

_NO_TERMS: Terms = ({}, {}, {})


def corpus_from_store(store: IndexView, people: PeopleConfig | None = None) -> Corpus:
    """Every note that is the user's own (no templates, excluded files or generated pages),
    fitted. Person notes are those `vaultnet.people.contacts` recognises under `people`."""
    return build_raw(notes_of_store(store, people or PeopleConfig()))


def notes_of_store(store: IndexView, people: PeopleConfig) -> Iterator[RawNote]:
    """Every user note as `RawNote`, by path, read as a stream (the terms a chunk of notes at a
    time); no note's properties are decoded but those of the notes that can be people."""
    paths = store.user_note_paths()
    names = {path: (title, aliases) for path, title, aliases in store.note_names() if path in paths}
    tags = store.tags_of(paths)
    from vaultnet.people.contacts import find_people  # (a run that reads no note needs neither)
    from vaultnet.people.facts import person_candidates

    _, persons = find_people(store.notes(person_candidates(store, people)), people)
    links: dict[str, set[str]] = defaultdict(set)
    for source, target in store.resolved_links():
        # Links in `%% comments %%` count: Obsidian's graph and backlinks show them too.
        if target in paths and target != source:
            links[source].add(target)
    order = sorted(paths)
    for start in range(0, len(order), CHUNK):
        chunk = order[start : start + CHUNK]
        terms = store.term_columns(chunk)
        for path in chunk:
            title, aliases = names[path]
            yield raw_note(
                path,
                title,
                frozenset(tags.get(path, ())),
                path in persons,
                note_names(title, aliases),
                terms.pop(path, NO_TERMS),
                links.pop(path, ()),
            )


def note_data(row: NoteRow, terms: Terms, links: Iterable[str], people: PeopleConfig) -> NoteData:
    """One user note's record: `terms` are its (term, anchored and code term counts), `links` the
    user notes it links to."""
    from vaultnet.people.contacts import is_person_note

    counts, anchored, code = terms
    counts, anchored = titled(row.title, counts, anchored)
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
    store: IndexView, paths: Iterable[str], people: PeopleConfig, users: Container[str]
) -> dict[str, NoteData]:
    """The records `corpus_from_store` builds for these notes, when they are user notes (the
    others are absent). `users`: every user note of the vault (a link counts only to one)."""
    rows = [r for r in store.notes(paths) if not (r.generator or r.template or r.excluded)]
    wanted = [r.path for r in rows]
    links = links_of(store, wanted, users)
    terms = store.terms(wanted)
    return {
        r.path: note_data(r, terms.get(r.path, _NO_TERMS), links.get(r.path, ()), people)
        for r in rows
    }


def links_of(
    store: IndexView, sources: Iterable[str], users: Container[str]
) -> dict[str, set[str]]:
    """Source -> the user notes it links to (never itself), for these sources."""
    links: dict[str, set[str]] = defaultdict(set)
    for row in store.links_from(sources):
        if row.path is not None and row.path in users and row.path != row.src:
            links[row.src].add(row.path)
    return links


# --- what the live corpus compares between runs -----------------------------------------------


def basis_of(store: IndexView) -> tuple[str, str | None, str | None]:
    """(index path, settings fingerprint, vault root): when one changes, every note reads anew.
    The path is the index file's real one: the same index named another way (relative to
    another folder, through a symlink) is the same basis."""
    return store.real_path, store.meta("fingerprint"), store.meta("root")


def file_states(store: IndexView) -> dict[str, FileState]:
    return store.file_states()


def user_notes(store: IndexView) -> set[str]:
    return store.user_note_paths()


def sources_named(store: IndexView, names: Iterable[str]) -> set[str]:
    """The notes holding a link whose target has one of these base names."""
    return store.sources_naming(names)


def sources_linking(store: IndexView, paths: Iterable[str]) -> set[str]:
    return store.sources_linking(paths)


def resolver(store: IndexView) -> Resolver:
    """Links resolved as the index resolves them (the learner hides links with it)."""
    return Resolver(store.file_states())
