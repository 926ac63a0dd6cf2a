"""Two readings in one process never meet: the scan's note reading (`vaultnet.index.reading`) and
the related engine's spread blocks (`vaultnet.related.spread`) carry what they work against with
the work, so the watcher's thread and a `generate` in the same process (a plugin host, the test
suite) each read their own vault.

Before, both kept it in a module global: a scan that started while another was between two notes
made the first read the rest of its notes from the second vault. The watcher then took its own
pages for the user's and wrote them again as `<page> (vaultnet).md` (about 1 run in 10 of
`test_watch_related.py`'s stopped-run tests, when their cold `generate` ran in this process)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from vaultnet.index import reading
from vaultnet.index.reading import Parsed, read_notes
from vaultnet.related import spread as spreading
from vaultnet.vault.resolve import Resolver
from vaultnet.vault.settings import VaultSettings

NOTES = [f"Note {n}.md" for n in range(6)]


def vault(root: Path, word: str) -> Path:
    root.mkdir()
    for name in NOTES:
        (root / name).write_text(f"# {name}\n\nA line about {word}. [[Note 0]]\n")
    return root


def words(parsed: Parsed) -> str:
    assert parsed.rows is not None, parsed.problem
    return repr(parsed.rows)


@pytest.mark.parametrize("parallel", [False, True], ids=["in this process", "forked workers"])
def test_two_interleaved_scans_each_read_their_own_vault(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parallel: bool
) -> None:
    if parallel:
        monkeypatch.setattr(reading, "PARALLEL_FROM", 2)
        monkeypatch.setattr(reading, "CHUNK", 1)
    compost = vault(tmp_path / "compost", "compost")
    dinners = vault(tmp_path / "dinners", "dinners")
    items: list[tuple[str, str | None]] = [(name, None) for name in NOTES]
    first = read_notes(compost, VaultSettings(), Resolver(NOTES), items)
    read = [next(first)]  # the first vault's scan is between two notes when another runs
    second = list(read_notes(dinners, VaultSettings(), Resolver(NOTES), items))
    read += list(first)
    assert [p.path for p in read] == NOTES
    assert all("compost" in words(p) and "dinners" not in words(p) for p in read)
    assert all("dinners" in words(p) and "compost" not in words(p) for p in second)


def scaled(factor: int, block: list[int]) -> list[int]:
    return [factor * n for n in block]


def test_two_spreads_on_two_threads_each_use_their_own_state(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(spreading, "cpu_count", lambda: 2)
    blocks = [[n, n + 1] for n in range(0, 40, 2)]
    found: dict[int, list[list[int]]] = {}
    started = threading.Barrier(2)

    def run(factor: int) -> None:
        started.wait()
        found[factor] = spreading.spread(scaled, factor, blocks, spreading.PARALLEL_FROM)

    threads = [threading.Thread(target=run, args=(factor,)) for factor in (10, 1000)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert found == {factor: [scaled(factor, b) for b in blocks] for factor in (10, 1000)}
