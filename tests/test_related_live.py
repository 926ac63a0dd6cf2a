"""The related generator as the watcher keeps it between runs: its corpus (`LiveCorpus`), kept
across edits on a real index, equals `corpus_from_store` after every step and says which notes
changed; its urgent pages are exactly the pages a full run writes for the notes an edit affects."""

from __future__ import annotations

import datetime as dt
import random
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from conftest import context_of, write_files
from platformdirs import user_cache_dir

import vaultnet.related.pages
import vaultnet.related.saved
from vaultnet.behind import settle
from vaultnet.index.scan import Index, open_index
from vaultnet.pages.api import GenerateContext
from vaultnet.pages.write import render_page
from vaultnet.people.audience import Listener
from vaultnet.people.config import people_config
from vaultnet.related import signed
from vaultnet.related.corpus import Corpus
from vaultnet.related.hybrid import Engine
from vaultnet.related.live import LiveCorpus, Refresh
from vaultnet.related.load import corpus_from_store
from vaultnet.related.memo import PageMemo
from vaultnet.related.pages import RelatedGenerator, idea_audiences, note_pages
from vaultnet.related.saved import SavedCorpus, path_for
from vaultnet.related.signed import MAGIC

MakeVault = Callable[[dict[str, str | bytes]], Path]

VAULT = {
    "Ideas/Referrals.md": "---\ntags: [networking]\n---\nReferrals come from weak ties. "
    "See [[Community]] and [[Weak ties]] and [[Future idea]].\n",
    "Ideas/Community.md": "Community over audience. [[Weak ties]] matter.\n",
    "Ideas/Weak ties.md": "Weak ties bring news. Granovetter studied them.\n",
    "Notes/Compost.md": "Compost: kitchen scraps, leaves, patience. [[Future idea]]\n",
    "Meetings/Jane lunch.md": "---\ndate: 2026-11-02\n---\nLunch with [[Jane Doe]]: [[Community]]\n",
    "Meetings/Solo walk.md": "---\ndate: 2026-11-03\n---\nA walk alone, [[Community]] in mind.\n",
    "People/Jane Doe.md": "Jane works on community.\n",
    "Ideas/Tips and tips.md": "Tips on [[Weak ties]]: keep tips short.\n",  # a title word twice
    "Templates/Idea.md": "Referral customer community template [[Community]]\n",
    ".obsidian/templates.json": '{"folder": "Templates"}',
}


def state(corpus: Corpus) -> dict[str, Any]:
    """Everything a corpus holds about its notes, by path (row numbers aside)."""
    return {
        "notes": {p: corpus.note(p) for p in sorted(corpus.live_paths())},
        "neighbours": {p: corpus.neighbours(p) for p in sorted(corpus.live_paths())},
        "names": +corpus.name_counts,
    }


class Kept:
    """A vault, its index and a `LiveCorpus` refreshed after each edit, as the watcher does."""

    def __init__(self, root: Path, index_path: Path) -> None:
        self.root = root
        self.index = Index(root, index_path)
        self.index.scan()
        self.live = LiveCorpus()
        assert self.refresh().rebuilt

    def people(self) -> Any:
        return people_config(self.index.config.section("people"), self.index.config.me)

    def refresh(self) -> Refresh:
        return self.live.refresh(self.index.view, self.people())

    def save(self, path: str, text: str | bytes) -> Refresh:
        write_files(self.root, {path: text})
        self.index.update([path])
        return self.refresh()

    def delete(self, path: str) -> Refresh:
        (self.root / path).unlink()
        self.index.update([path])
        return self.refresh()

    def rename(self, source: str, dest: str) -> Refresh:
        (self.root / dest).parent.mkdir(parents=True, exist_ok=True)
        (self.root / source).rename(self.root / dest)
        self.index.update([source, dest])
        return self.refresh()

    def assert_cold(self) -> None:
        """The kept corpus holds what a cold build holds, and fitted again ranks the same."""
        cold = corpus_from_store(self.index.view, self.people())
        assert state(self.live.corpus) == state(cold)
        self.live.corpus.fit()
        warm_engine, cold_engine = Engine(self.live.corpus), Engine(cold)
        for path in sorted(cold.live_paths()):
            assert warm_engine.related(path, 5) == cold_engine.related(path, 5), path


@pytest.fixture
def kept(make_vault: MakeVault, tmp_path: Path) -> Iterator[Kept]:
    k = Kept(make_vault(VAULT), tmp_path / "live.sqlite")
    yield k
    k.index.close()


def test_an_edit_re_reads_only_that_note(kept: Kept) -> None:
    before = kept.live.corpus.links("Ideas/Community.md")
    refresh = kept.save("Ideas/Community.md", "Community, audience, gardening. [[Referrals]]\n")
    assert not refresh.rebuilt
    assert refresh.edited == {"Ideas/Community.md"} and not refresh.relinked
    assert refresh.before == {"Ideas/Community.md": before}
    kept.assert_cold()
    assert not kept.refresh().changed  # nothing new: nothing read, the engine can stay


def test_a_note_that_appears_relinks_the_notes_that_named_it(kept: Kept) -> None:
    refresh = kept.save("Ideas/Future idea.md", "Ideas for later.\n")
    assert refresh.edited == {"Ideas/Future idea.md"}
    assert refresh.relinked == {"Ideas/Referrals.md", "Notes/Compost.md"}
    kept.assert_cold()
    refresh = kept.delete("Ideas/Future idea.md")
    assert refresh.edited == {"Ideas/Future idea.md"}
    assert refresh.relinked == {"Ideas/Referrals.md", "Notes/Compost.md"}
    kept.assert_cold()


EDITS: list[tuple[str, tuple[str, ...]]] = [  # (a method of `Kept`, its arguments)
    ("save", ("Ideas/Weak ties.md", "Weak ties, strong ties, referrals. [[Community]]\n")),
    ("save", ("Ideas/New.md", "---\ntags: [networking, person]\n---\nA new [[Jane Doe]] note\n")),
    ("rename", ("Ideas/Community.md", "Archive/Community.md")),
    ("save", ("Notes/Compost.md", "Compost [[Community]] again, see [[Archive/Community]]\n")),
    ("delete", ("People/Jane Doe.md",)),
    ("save", ("People/Jane Doe.md", "---\naliases: [JD]\n---\nBack again, talks to [[New]].\n")),
    # a note that becomes a generated page leaves the corpus, and links to it stop counting
    ("save", ("Ideas/Weak ties.md", render_page("related", "Generated now [[Referrals]]\n"))),
    ("save", ("Ideas/Weak ties.md", "Weak ties are a note again.\n")),
    ("save", ("Ideas/Broken.md", "---\ntags: [a, b\n---\nbroken frontmatter [[Referrals]]\n")),
    ("save", ("Ideas/Latin1.md", "caf\xe9 [[Referrals]]".encode("latin-1"))),
    ("save", ("Ideas/Referrals.md", "Only words now: referral, customer, value.\n")),
    ("save", ("Attachments/Referrals.png", b"\x89PNG")),
    ("save", ("Ideas/Sync.sync-conflict-20261124-101500-ABCDEFG.md", "[[Referrals]]\n")),
    # settings: templates elsewhere, then people read differently: each rebuilds cold
    ("save", (".obsidian/templates.json", '{"folder": "Notes"}')),
    ("save", (".vaultnet.toml", '[people]\nfolders = ["Ideas"]\n')),
    ("save", ("Ideas/Weak ties.md", "Weak ties after settings. [[Compost]]\n")),
]


def test_a_series_of_edits_equals_a_cold_corpus_after_each(kept: Kept) -> None:
    for action, args in EDITS:
        refresh = getattr(kept, action)(*args)
        kept.assert_cold()
        assert refresh.rebuilt == args[0].startswith((".obsidian", ".vaultnet")), (action, args)


def test_random_edits_and_rescans_equal_a_cold_corpus(kept: Kept) -> None:
    rng = random.Random(5)
    names = [
        "Ideas/A.md",
        "Ideas/B.md",
        "People/C.md",
        "Notes/D.md",
        "Deep/x/A.md",
        "Ideas/Tip tips.md",
    ]
    words = ["referral", "community", "compost", "ties", "jane", "value", "#networking", "tip"]
    for step in range(40):
        path = rng.choice(names)
        exists = (kept.root / path).exists()
        roll = rng.random()
        if exists and roll < 0.2:
            kept.delete(path)
        elif exists and roll < 0.3:
            kept.rename(path, rng.choice([n for n in names if n != path]))
        else:
            text = " ".join(rng.choices(words, k=5))
            links = " ".join(f"[[{rng.choice(names)[:-3].split('/')[-1]}]]" for _ in range(2))
            if step % 7 == 6:  # also through a full rescan, as the watcher's periodic one
                write_files(kept.root, {path: f"{text} {links}\n"})
                kept.index.scan()
                kept.refresh()
            else:
                kept.save(path, f"{text} {links}\n")
        kept.assert_cold()


def test_another_index_rebuilds(make_vault: MakeVault, tmp_path: Path) -> None:
    live = LiveCorpus()
    for n, files in enumerate([VAULT, {"A.md": "only [[B]]\n", "B.md": "b\n"}]):
        with open_index(make_vault(files), tmp_path / f"{n}.sqlite") as index:
            index.scan()
            assert live.refresh(index.view, people_config({})).rebuilt
            assert state(live.corpus) == state(corpus_from_store(index.view))


# --- the generator ---------------------------------------------------------------------------


def context(kept: Kept) -> GenerateContext:
    index = kept.index
    return context_of(index, dt.date(2026, 11, 26))


def test_urgent_pages_are_the_edited_note_then_its_neighbours_as_a_full_run_writes_them(
    kept: Kept,
) -> None:
    generator = RelatedGenerator()
    generator.generate(context(kept))  # the daemon's catch-up
    kept.save("Ideas/Community.md", "Community, audience, gardening. [[Referrals]] [[Compost]]\n")
    urgent = generator.urgent_pages(context(kept), {"Ideas/Community.md"})
    # the edited note, then the idea notes linked with it before (Weak ties) or after
    # (Referrals, Compost), or linking to it (a dated note that mentions nobody is an idea;
    # Jane lunch, a meeting, is not)
    assert [p.subject for p in urgent] == [
        "Ideas/Community.md",
        "Ideas/Referrals.md",
        "Ideas/Weak ties.md",
        "Meetings/Solo walk.md",
        "Notes/Compost.md",
    ]
    full = generator.generate(context(kept))
    assert full == RelatedGenerator(saved=False).generate(context(kept))  # kept == cold
    assert all(page in full for page in urgent)


def test_urgent_pages_are_bounded(kept: Kept, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vaultnet.related.pages, "URGENT_NOTES", 1)
    generator = RelatedGenerator()
    generator.generate(context(kept))
    kept.save("Ideas/Weak ties.md", "Weak ties bring news. [[Community]] [[Referrals]]\n")
    urgent = generator.urgent_pages(context(kept), {"Ideas/Weak ties.md"})
    assert [p.subject for p in urgent] == ["Ideas/Weak ties.md"]


@pytest.mark.parametrize("mode", ["block", "off"])
def test_no_urgent_pages_without_related_pages(kept: Kept, mode: str) -> None:
    kept.save(".vaultnet.toml", f'[related]\nmode = "{mode}"\n')
    generator = RelatedGenerator()
    generator.generate(context(kept))
    kept.save("Ideas/Weak ties.md", "Weak ties bring news. [[Community]]\n")
    assert generator.urgent_pages(context(kept), {"Ideas/Weak ties.md"}) == []


# --- the corpus saved beside the index (`vaultnet.related.saved`) -----------------------------


@pytest.mark.parametrize("in_place", [False, True], ids=["copied", "in-place"])
def test_a_saved_corpus_carries_over_and_refreshes_to_the_cold_one(
    kept: Kept, in_place: bool
) -> None:
    first = SavedCorpus()
    assert first.refresh(kept.index.view, kept.people()).rebuilt
    assert first.save(kept.index.view)
    assert path_for(kept.index.view).read_bytes().startswith(MAGIC)
    assert not first.save(kept.index.view, every=0.0)  # nothing changed since
    kept.save("Ideas/Community.md", "Community, audience, gardening. [[Referrals]]\n")
    kept.delete("Notes/Compost.md")
    later = SavedCorpus(in_place=in_place)  # another process: starts from the saved corpus
    refresh = later.refresh(kept.index.view, kept.people())
    assert not refresh.rebuilt
    assert refresh.edited == {"Ideas/Community.md", "Notes/Compost.md"}
    assert state(later.corpus) == state(corpus_from_store(kept.index.view, kept.people()))
    assert later.save(kept.index.view)
    kept.save("Notes/Compost.md", "Compost returns, [[Community]].\n")
    assert state(later.corpus) != state(corpus_from_store(kept.index.view, kept.people()))
    assert later.refresh(kept.index.view, kept.people()).edited == {"Notes/Compost.md"}
    assert state(later.corpus) == state(corpus_from_store(kept.index.view, kept.people()))
    assert later.save(kept.index.view, every=0.0)
    again = SavedCorpus(in_place=in_place)
    assert not again.refresh(kept.index.view, kept.people()).changed


def test_a_corpus_read_ahead_is_used_while_the_file_is_the_one_read(
    kept: Kept, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Read ahead (`vaultnet related NOTE` and `generate`, while they scan), then the vault
    changed: the refresh uses what was read and ends at the cold corpus. When another process
    saved a new file after it was read ahead, the new one is read."""
    first = SavedCorpus()
    first.refresh(kept.index.view, kept.people())
    assert first.save(kept.index.view)
    reads: list[Path] = []
    real = signed._read

    def counted(path: Path, key: bytes | None) -> signed.Read | None:
        reads.append(path)
        return real(path, key)

    monkeypatch.setattr(signed, "_read", counted)
    signed.read_ahead(kept.index.path)
    kept.save("Ideas/Community.md", "Community, audience, gardening. [[Referrals]]\n")
    ahead = SavedCorpus(in_place=True)
    refresh = ahead.refresh(kept.index.view, kept.people())
    assert reads == [path_for(kept.index.view)]  # read once, ahead
    assert not refresh.rebuilt and refresh.edited == {"Ideas/Community.md"}
    assert state(ahead.corpus) == state(corpus_from_store(kept.index.view, kept.people()))

    signed.read_ahead(kept.index.path)
    signed._ahead[path_for(kept.index.view)].result()  # read before the other process saves
    kept.save("Notes/Compost.md", "Compost returns, [[Community]].\n")
    ahead.refresh(kept.index.view, kept.people())
    assert ahead.save(kept.index.view)  # another process saves a new file meanwhile
    kept.save("Ideas/Weak ties.md", "Weak ties bring news about gardening. [[Compost]]\n")
    later = SavedCorpus()
    refresh = later.refresh(kept.index.view, kept.people())
    assert len(reads) == 3  # read ahead, then again: the file is not the one read
    assert refresh.edited == {"Ideas/Weak ties.md"}
    assert state(later.corpus) == state(corpus_from_store(kept.index.view, kept.people()))


def test_a_save_written_behind_is_read_whole_by_the_next_refresh(
    kept: Kept, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`generate` packs the corpus and writes it on a thread while the next pages are made: a
    refresh (of this instance or of another one in the process) waits for the write."""
    write = vaultnet.related.saved.write

    def slow_write(*args: Any) -> bool:
        time.sleep(0.3)  # a large vault's write, still running when the refresh comes
        return write(*args)

    monkeypatch.setattr(vaultnet.related.saved, "write", slow_write)
    first = SavedCorpus()
    first.refresh(kept.index.view, kept.people())
    assert first.save(kept.index.view, behind=True)
    later = SavedCorpus()  # the write may still be running: the first refresh waits for it
    assert not later.refresh(kept.index.view, kept.people()).changed
    assert state(later.corpus) == state(first.corpus)
    kept.save("Ideas/Community.md", "Community, audience, gardening. [[Referrals]]\n")
    assert first.refresh(kept.index.view, kept.people()).edited == {"Ideas/Community.md"}
    assert first.save(kept.index.view, every=0.0, behind=True)
    first.settle()
    again = SavedCorpus()
    assert not again.refresh(kept.index.view, kept.people()).changed
    assert state(again.corpus) == state(corpus_from_store(kept.index.view, kept.people()))


def test_a_save_with_no_thread_to_write_it_is_written_in_line(
    kept: Kept, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_thread(self: threading.Thread) -> None:
        raise RuntimeError("can't start new thread")

    saved = SavedCorpus()
    saved.refresh(kept.index.view, kept.people())
    with monkeypatch.context() as patched:
        patched.setattr(threading.Thread, "start", no_thread)
        assert saved.save(kept.index.view, behind=True)
    assert path_for(kept.index.view).read_bytes().startswith(MAGIC)
    assert not SavedCorpus().refresh(kept.index.view, kept.people()).changed


@pytest.mark.parametrize("behind", [False, True], ids=["in-line", "behind"])
def test_a_save_cut_off_by_an_error_is_due_again(
    kept: Kept, monkeypatch: pytest.MonkeyPatch, behind: bool
) -> None:
    """Was: the corpus said nothing changed once it was packed for the save, so a save that
    raised (out of memory) was never made, and the next process rebuilt the corpus cold."""
    saved = SavedCorpus()
    saved.refresh(kept.index.view, kept.people())

    def out_of_memory(*args: Any) -> None:
        raise MemoryError("packing")

    with monkeypatch.context() as patched:
        patched.setattr(vaultnet.related.saved, "_pack", out_of_memory)
        with pytest.raises(MemoryError):
            saved.save(kept.index.view, behind=behind)
    assert saved.save(kept.index.view, every=0.0, behind=behind)
    saved.settle()
    assert not SavedCorpus().refresh(kept.index.view, kept.people()).changed


def test_a_save_that_failed_behind_is_due_again(kept: Kept) -> None:
    saved = SavedCorpus()
    saved.refresh(kept.index.view, kept.people())
    path = path_for(kept.index.view)
    path.write_bytes(b"someone's notes")  # not a file vaultnet wrote: never replaced
    assert saved.save(kept.index.view, behind=True)  # the write started ...
    saved.settle()
    assert path.read_bytes() == b"someone's notes"  # ... and failed
    path.unlink()
    assert saved.save(kept.index.view, every=0.0)  # nothing changed since, but it is due
    assert path.read_bytes().startswith(MAGIC)
    assert not saved.save(kept.index.view, every=0.0)


def test_a_read_ahead_of_another_index_is_not_used(kept: Kept, tmp_path: Path) -> None:
    saved = SavedCorpus()
    saved.refresh(kept.index.view, kept.people())
    assert saved.save(kept.index.view)
    elsewhere = tmp_path / "elsewhere.sqlite"
    path_for(kept.index.view).rename(elsewhere.with_name(elsewhere.name + ".related"))
    signed.read_ahead(elsewhere)
    assert SavedCorpus().refresh(kept.index.view, kept.people()).rebuilt


def test_a_failed_read_ahead_raises_where_its_result_is_asked_for(
    kept: Kept, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(path: Path, key: bytes | None) -> None:
        raise MemoryError(f"{path}: too big")

    monkeypatch.setattr(signed, "_read", broken)
    signed.read_ahead(kept.index.path)
    with pytest.raises(MemoryError, match="too big"):
        SavedCorpus().refresh(kept.index.view, kept.people())


def test_other_settings_rebuild_a_saved_corpus(kept: Kept) -> None:
    saved = SavedCorpus()
    saved.refresh(kept.index.view, kept.people())
    saved.save(kept.index.view)
    other = people_config({"folders": ["Meetings"]})
    assert SavedCorpus().refresh(kept.index.view, other).rebuilt


def test_the_same_index_by_another_spelling_keeps_its_saved_corpus(
    kept: Kept, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--index live.sqlite` from its folder, or through a symlinked folder, is the same index:
    its saved corpus carries over (it was rebuilt and its weights learned again: 5 s at 10,000
    notes)."""
    saved = SavedCorpus()
    saved.refresh(kept.index.view, kept.people())
    saved.save(kept.index.view)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "through").symlink_to(tmp_path, target_is_directory=True)
    for spelling in (Path("live.sqlite"), tmp_path / "through" / "live.sqlite"):
        with open_index(kept.root, spelling) as index:
            index.scan()
            assert not SavedCorpus().refresh(index.view, kept.people()).rebuilt, spelling


@pytest.mark.parametrize("content", [MAGIC + b"\x80\x05garbage", MAGIC, b""])
def test_a_damaged_saved_corpus_is_rebuilt_and_replaced(kept: Kept, content: bytes) -> None:
    path = path_for(kept.index.view)
    path.write_bytes(content)
    saved = SavedCorpus()
    assert saved.refresh(kept.index.view, kept.people()).rebuilt
    assert state(saved.corpus) == state(corpus_from_store(kept.index.view, kept.people()))
    assert saved.save(kept.index.view) is bool(content)  # only a file it wrote is replaced


@pytest.mark.parametrize("cut", [0.5, 0.999])
def test_a_signed_archive_cut_short_is_kept_aside_and_rebuilt(kept: Kept, cut: float) -> None:
    """A file of this user's vaultnet, signed, whose archive is damaged (a disk or sync tool
    cut it): moved aside, said, and the corpus built cold."""
    saved = SavedCorpus()
    saved.refresh(kept.index.view, kept.people())
    assert saved.save(kept.index.view)
    path = path_for(kept.index.view)
    whole = path.read_bytes()
    start = signed.HEAD
    payload = whole[start:][: int(cut * (len(whole) - start))]
    key = signed._key()
    assert key is not None
    path.write_bytes(MAGIC + signed._mac(key, payload).digest() + payload)
    again = SavedCorpus()
    assert again.refresh(kept.index.view, kept.people()).rebuilt
    assert state(again.corpus) == state(corpus_from_store(kept.index.view, kept.people()))
    (aside,) = path.parent.glob(path.name + ".damaged-*")
    assert aside.read_bytes().endswith(payload)


def test_a_damaged_file_replaced_after_it_was_read_is_not_set_aside(kept: Kept) -> None:
    """Read (ahead) while damaged, then another process saved a good corpus in its place: the
    good one stays where it is, and the next process uses it."""
    saved = SavedCorpus()
    saved.refresh(kept.index.view, kept.people())
    assert saved.save(kept.index.view)
    path = path_for(kept.index.view)
    whole = path.read_bytes()
    payload = whole[signed.HEAD :][:100]
    key = signed._key()
    assert key is not None
    path.write_bytes(MAGIC + signed._mac(key, payload).digest() + payload)
    got = signed.read(path)
    path.write_bytes(whole)  # another process saved meanwhile (a new file, as `save` writes)
    assert vaultnet.related.saved.load(path, got) is None
    assert not list(path.parent.glob(path.name + ".damaged-*"))
    assert not SavedCorpus().refresh(kept.index.view, kept.people()).rebuilt


def test_reading_ahead_makes_no_signing_key(kept: Kept) -> None:
    """The key is made where a corpus is saved, never by the thread reading ahead (a process
    that stops mid-scan could leave a half-made key's temporary file)."""
    key = Path(user_cache_dir("vaultnet")) / "saved-corpus.key"
    saved = SavedCorpus()
    saved.refresh(kept.index.view, kept.people())
    assert saved.save(kept.index.view)
    key.unlink()
    ahead = signed.ReadAhead(path_for(kept.index.view))
    got = ahead.result()
    assert got is not None and got.signature is None
    assert not key.exists() and not list(key.parent.iterdir())
    again = SavedCorpus()
    assert again.refresh(kept.index.view, kept.people()).rebuilt  # nothing signed by no key
    assert again.save(kept.index.view) and key.exists()


def test_a_run_that_changed_nothing_does_not_write_the_saved_corpus(kept: Kept) -> None:
    """Was: every `generate` wrote the 45 MB file again (10k notes), as if its idea notes and
    rankings had changed."""
    RelatedGenerator().generate(context(kept))
    settle()  # the save is written behind the generator (`generate_pages` waits for it)
    path = path_for(kept.index.view)
    before = path.stat()
    assert RelatedGenerator().generate(context(kept))  # the next process, nothing changed
    settle()
    after = path.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    kept.save("Ideas/Weak ties.md", "Weak ties bring news about gardening. [[Compost]]\n")
    RelatedGenerator().generate(context(kept))
    settle()
    assert path.stat().st_ino != before.st_ino


def test_a_file_vaultnet_did_not_write_is_kept_aside(kept: Kept) -> None:
    """Was: reported on every run and never replaced (issue 23): it is moved aside, bytes
    kept, and the corpus saved in its place."""
    path = path_for(kept.index.view)
    path.write_bytes(b"someone's notes")
    saved = SavedCorpus()
    saved.refresh(kept.index.view, kept.people())
    assert saved.save(kept.index.view)
    (aside,) = path.parent.glob(path.name + ".damaged-*")
    assert aside.read_bytes() == b"someone's notes"
    assert path.read_bytes().startswith(MAGIC)


def test_a_corpus_saved_by_another_version_is_not_used(
    kept: Kept, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = SavedCorpus()
    first.refresh(kept.index.view, kept.people())
    first.save(kept.index.view)
    monkeypatch.setattr(vaultnet.related.saved, "FORMAT", vaultnet.related.saved.FORMAT + 1)
    assert SavedCorpus().refresh(kept.index.view, kept.people()).rebuilt


def test_disabled_reads_and_writes_nothing(kept: Kept) -> None:
    saved = SavedCorpus(enabled=False)
    assert saved.refresh(kept.index.view, kept.people()).rebuilt
    assert not saved.save(kept.index.view)
    assert not path_for(kept.index.view).exists()


def test_rankings_are_reused_while_nothing_changed_and_a_small_vault_is_exact(
    kept: Kept, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run with the same corpus, idea notes, k and pairs reuses the last rankings (also in the
    next process, through the saved corpus); on a small vault any edit fits the corpus again
    and ranks from scratch, so the pages always equal a cold run's; a new k ranks again."""
    calls = counted(monkeypatch)

    def cold() -> list[Any]:
        return RelatedGenerator(saved=False).generate(context(kept))

    generator = RelatedGenerator()
    first = generator.generate(context(kept))
    assert generator.generate(context(kept)) == first
    assert RelatedGenerator().generate(context(kept)) == first  # the next process
    assert calls == ["rank", "update", "update"]  # (an update with nothing changed does nothing)
    kept.save("Ideas/Weak ties.md", "Weak ties bring news about gardening. [[Compost]]\n")
    edited = RelatedGenerator().generate(context(kept))
    assert calls[3:] == ["rank"]  # fitted again: a small vault is exact after every edit
    assert edited != first
    assert edited == cold()
    kept.save(".vaultnet.toml", "[related]\nk = 2\n")
    assert generator.generate(context(kept)) == cold()
    assert calls[4:] == ["rank", "rank", "rank"]


def counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The generator's calls of `rank` (from scratch) and `update` (edit by edit), in order."""
    calls: list[str] = []
    for name in ("rank", "update"):
        real = getattr(vaultnet.related.pages, name)

        def counting(*args: Any, _real: Any = real, _name: str = name, **kwargs: Any) -> Any:
            calls.append(_name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(vaultnet.related.pages, name, counting)
    return calls


def test_between_two_fits_an_edit_updates_the_rankings_to_a_from_scratch_ranking(
    kept: Kept, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past `EXACT_UP_TO` notes an edit does not fit the corpus again: the kept rankings are
    updated edit by edit, and equal what ranking the same corpus from scratch writes, pages and
    each note's best wording evidence alike."""
    monkeypatch.setattr(vaultnet.related.saved, "EXACT_UP_TO", 0)
    monkeypatch.setattr(vaultnet.related.saved, "RELEARN_MIN", 10**6)
    calls = counted(monkeypatch)
    generator = RelatedGenerator()
    generator.generate(context(kept))
    more = [
        ("save", ("Ideas/Weak ties.md", "Weak ties bring news about gardening. [[Compost]]\n")),
        ("save", ("Ideas/New idea.md", "---\ntags: [networking]\n---\nNew: [[Referrals]]\n")),
    ]
    for action, args in [*EDITS[:6], *more]:
        getattr(kept, action)(*args)
        pages = generator.generate(context(kept))
        scratch = RelatedGenerator()  # the same saved corpus, its rankings dropped
        scratch._live.refresh(kept.index.view, kept.people())
        scratch._live.rankings = None
        assert pages == scratch.generate(context(kept)), (action, args)
        kept_tops, fresh_tops = generator._live.rankings.tops, scratch._live.rankings.tops
        assert kept_tops.keys() == fresh_tops.keys()
        for row, top in fresh_tops.items():  # the best wording evidence the reasons read
            assert kept_tops[row].best == top.best, (action, args, row)
    assert calls.count("rank") == 1 + 8  # the first run, then each from-scratch check
    assert calls.count("update") == 8


def test_an_edit_raises_the_best_wording_of_notes_it_now_resembles(
    make_vault: MakeVault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Notes beyond each other's lists: an edit that makes one note word for word like another
    raises that note's best wording evidence (`rankings._raised`, read with `rows.entry`) to
    what ranking from scratch finds, as an edit that enters no list must."""
    monkeypatch.setattr(vaultnet.related.saved, "EXACT_UP_TO", 0)
    monkeypatch.setattr(vaultnet.related.saved, "RELEARN_MIN", 10**6)
    words = [f"w{n:03d}x" for n in range(400)]
    pick = random.Random(7)
    notes = {f"Ideas/N{n:02d}.md": " ".join(pick.sample(words, 12)) + "\n" for n in range(60)}
    kept = Kept(make_vault(notes), tmp_path / "wide.sqlite")
    generator = RelatedGenerator()
    generator.generate(context(kept))
    raised = 0
    for n in (5, 23, 41):
        before = {r: t.best for r, t in generator._live.rankings.tops.items()}
        kept.save(f"Ideas/N{n:02d}.md", notes[f"Ideas/N{n + 1:02d}.md"] + "more\n")
        generator.generate(context(kept))
        scratch = RelatedGenerator()
        scratch._live.refresh(kept.index.view, kept.people())
        scratch._live.rankings = None
        scratch.generate(context(kept))
        fresh = scratch._live.rankings.tops
        assert generator._live.rankings.tops.keys() == fresh.keys()
        for row, top in fresh.items():
            assert generator._live.rankings.tops[row].best == top.best, (n, row)
        raised += sum(1 for r, t in fresh.items() if r in before and t.best != before[r])
    kept.index.close()
    assert raised  # some note's best wording moved to the edited one


class _Planted:
    """A pickle that would create a file when read: what an unsigned file could carry."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> Any:
        return (self.marker.touch, ())


def test_an_unsigned_saved_corpus_is_never_unpickled(kept: Kept, tmp_path: Path) -> None:
    import pickle

    marker = tmp_path / "ran"
    planted = pickle.dumps(_Planted(marker))
    path = path_for(kept.index.view)
    for data in (MAGIC + planted, MAGIC + bytes(32) + planted):
        path.write_bytes(data)
        assert SavedCorpus().refresh(kept.index.view, kept.people()).rebuilt
        assert not marker.exists()
    saved = SavedCorpus()
    saved.refresh(kept.index.view, kept.people())
    assert saved.save(kept.index.view)  # signed with this user's key: read back
    assert not SavedCorpus().refresh(kept.index.view, kept.people()).changed
    key = Path(user_cache_dir("vaultnet")) / "saved-corpus.key"
    assert key.stat().st_mode & 0o077 == 0
    key.write_bytes(bytes(32))  # another key: the file no longer verifies
    assert SavedCorpus().refresh(kept.index.view, kept.people()).rebuilt


def test_a_page_is_made_again_when_what_it_shows_of_a_listener_changes(
    kept: Kept, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The memo keys a page's audience by what the page shows of each listener (the contact's
    path and status, the listener's reasons), not by the whole contact: a snoozed listener, or
    other reasons, make the page again; another score (not shown) does not."""
    kept.save("Ideas/Weak ties.md", "Weak ties bring news. #community\n")
    kept.save("People/Jane Doe.md", "---\ntags: [community]\n---\nJane works on community.\n")
    now = context(kept)
    idea = "Ideas/Weak ties.md"
    jane = next(w for w in idea_audiences(now, [idea])[idea] if w.contact.name == "Jane Doe")
    memo = PageMemo()
    made: list[str] = []
    real = vaultnet.related.pages._made
    monkeypatch.setattr(vaultnet.related.pages, "_made", lambda *a: made.append(a[2]) or real(*a))

    def body(listener: Listener) -> str:
        pages = note_pages(now, kept.live.corpus, {idea: []}, "pages", {idea: (listener,)}, memo)
        return pages[0].body

    shown = body(jane)
    assert "Jane Doe" in shown.split("would care")[1]
    assert body(replace(jane, score=jane.score + 1)) == shown and made == [idea]  # kept
    snoozed = body(replace(jane, contact=replace(jane.contact, status="snoozed")))
    assert "(snoozed)" in snoozed and "(snoozed)" not in shown
    assert body(jane) == shown
    assert "another reason" in body(replace(jane, reasons=("another reason",)))
    assert len(made) == 4


@pytest.mark.parametrize("mode", ["pages", "block"])
def test_pages_are_made_again_only_where_an_edit_changed_what_they_show(
    kept: Kept, monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    """The watcher's generator keeps the pages it made (`vaultnet.related.memo`): after an edit it
    makes again only the pages whose related notes, reasons, audience or read notes changed, and
    what it returns equals a fresh generator's pages after every step, including edits that
    change only what the mention check reads (a note's text or aliases), a change of the vault's
    link style, and a note moved without a change."""
    made: list[str] = []
    real = vaultnet.related.pages._made

    def making(*args: Any) -> str:
        made.append(args[2])  # the subject
        return str(real(*args))

    monkeypatch.setattr(vaultnet.related.pages, "_made", making)
    kept.save(".vaultnet.toml", f'[related]\nmode = "{mode}"\n')
    generator = RelatedGenerator()
    first = generator.generate(context(kept))
    assert sorted(made) == sorted(p.subject for p in first if p.subject in kept.live.corpus)
    made.clear()
    assert generator.generate(context(kept)) == first  # nothing changed: nothing made
    assert made == []
    steps = [
        ("Notes/Compost.md", "Compost: kitchen scraps, leaves, patience. [[Future idea]]\n\n"),
        ("Ideas/Weak ties.md", "Weak ties bring news. Granovetter studied them. Community!\n"),
        ("Ideas/Community.md", "---\naliases: [Granovetter]\n---\nCommunity over audience.\n"),
        ("Ideas/Referrals.md", "Referrals come from weak ties and Community.\n"),
        ("Ideas/Weak ties.md", "Weak ties bring news. #community\n"),
        ("People/Jane Doe.md", "---\ntags: [community]\n---\nJane works on community.\n"),
        ("People/Jane Doe.md", "---\ntags: [community]\nsnooze_until: 2027-01-01\n---\nJane.\n"),
        (".obsidian/app.json", '{"useMarkdownLinks": true}'),  # every link written anew
    ]
    remade, shown = 0, 0
    for path, text in steps:
        made.clear()
        kept.save(path, text)
        pages = generator.generate(context(kept))
        assert path in made or path not in {p.subject for p in pages}  # its version changed
        remade, shown = remade + len(made), shown + len(pages)
        assert pages == RelatedGenerator(saved=False).generate(context(kept)), path
    assert remade < shown  # some pages were kept as they were
    # A note moved as it is: same text, same related notes, but its page links to it anew.
    kept.save(".obsidian/app.json", '{"newLinkFormat": "absolute"}')
    generator.generate(context(kept))
    kept.save("Archive/Weak ties.md", (kept.root / "Ideas/Weak ties.md").read_text())
    kept.delete("Ideas/Weak ties.md")
    assert generator.generate(context(kept)) == RelatedGenerator(saved=False).generate(
        context(kept)
    )
