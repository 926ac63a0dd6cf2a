"""The related engine's state as named numpy arrays and one JSON text, and back: what
`vaultnet.related.saved` writes beside the index (`vaultnet.related.archive`: numbers only).

The corpus is packed whole: its content (term counts, tags, links, names), the fit's
statistics and the signal rows (so a process that loads it computes nothing before its first
query), with the rankings.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np

from vaultnet.related.calibration import Calibration, Related
from vaultnet.related.content import COUNTS
from vaultnet.related.corpus import Corpus
from vaultnet.related.explain import Best
from vaultnet.related.pairs import PairTable
from vaultnet.related.rankings import Pair, Rankings, RowTop
from vaultnet.related.reasons import Reason
from vaultnet.related.rows import SparseRows
from vaultnet.related.sparse import sp
from vaultnet.related.stats import Stats

Arrays = dict[str, np.ndarray]
MATRICES = {
    "counts": COUNTS,
    "loose_counts": COUNTS,
    "code": COUNTS,
    "tagged": np.float64,
    "out": np.float64,
    "x": np.float32,
    "loose": np.float32,
    "adj": np.float64,
    "fw": np.float64,
}
STATS = ("df", "text_idf", "rarity", "hubs", "people", "folder_sizes", "linked")


def pack_corpus(corpus: Corpus, arrays: Arrays) -> dict[str, Any]:
    """Put `corpus` in `arrays` (matrices, flags) and return the rest as JSON-ready data."""
    count = len(corpus.paths)
    for name in MATRICES:
        matrix = getattr(corpus, name).matrix()
        arrays[f"{name}.data"], arrays[f"{name}.indices"] = matrix.data, matrix.indices
        arrays[f"{name}.indptr"] = matrix.indptr
    arrays["alive"], arrays["person"] = corpus.alive[:count], corpus.person[:count]
    arrays["fid"] = corpus.fid[:count]
    names = corpus.names
    live = [i for i, owner in enumerate(names.owner) if owner >= 0]
    arrays["names.owner"] = np.array([names.owner[i] for i in live], dtype=np.int64)
    arrays["names.length"] = np.array([len(names.terms[i]) for i in live], dtype=np.int64)
    arrays["names.terms"] = np.array([t for i in live for t in names.terms[i]], dtype=np.int64)
    arrays["names.score"] = np.array([names.score[i] for i in live], dtype=np.float64)
    arrays["names.key"] = names.keys()[live] if live else np.zeros(0, dtype=np.int64)
    stats = corpus.stats
    assert stats is not None
    for name in STATS:
        arrays[f"stats.{name}"] = getattr(stats, name)
    return {
        "paths": corpus.paths,
        "titles": corpus.titles,
        "folders": corpus.folders,
        "terms": corpus.terms,
        "tags": corpus.tags,
        "wants": {str(row): sorted(paths) for row, paths in corpus._wants.items()},
        "name_counts": dict(+corpus.name_counts),
        "notes": stats.notes,
        "generation": corpus.generation,
    }


def unpack_corpus(data: dict[str, Any], arrays: Arrays) -> Corpus:
    corpus = Corpus(fitted=False)
    corpus.paths, corpus.titles = list(data["paths"]), list(data["titles"])
    corpus.folders, corpus.terms, corpus.tags = data["folders"], data["terms"], data["tags"]
    corpus.row_of = {path: row for row, path in enumerate(corpus.paths)}
    corpus.folder_of = {f: i for i, f in enumerate(corpus.folders)}
    corpus.term_of = {t: i for i, t in enumerate(corpus.terms)}
    corpus.tag_of = {t: i for i, t in enumerate(corpus.tags)}
    from vaultnet.related.text import is_text_term

    corpus.text_term = np.fromiter(map(is_text_term, corpus.terms), bool, len(corpus.terms))
    count = len(corpus.paths)
    terms = len(corpus.terms)
    widths = {"counts": terms, "loose_counts": terms, "code": terms, "x": terms, "loose": terms}
    widths |= {"tagged": len(corpus.tags), "out": count, "adj": count, "fw": len(corpus.folders)}
    for name, dtype in MATRICES.items():
        matrix = sp.csr_matrix(
            (arrays[f"{name}.data"], arrays[f"{name}.indices"], arrays[f"{name}.indptr"]),
            shape=(count, widths[name]),
        )
        setattr(corpus, name, SparseRows(widths[name], dtype, matrix))
    corpus.alive = arrays["alive"].astype(bool)
    corpus.person = arrays["person"].astype(bool)
    corpus.fid = arrays["fid"].astype(np.int64)
    corpus.name_counts.update(data["name_counts"])
    corpus._wants = {int(row): set(paths) for row, paths in data["wants"].items()}
    for row, paths in corpus._wants.items():
        for path in paths:
            corpus._wanted.setdefault(path, set()).add(row)
    owner, length = arrays["names.owner"].tolist(), arrays["names.length"]
    flat = arrays["names.terms"].tolist()
    starts = np.concatenate([[0], np.cumsum(length)]).tolist()
    corpus.names.restore(
        owner,
        [tuple(flat[starts[i] : starts[i + 1]]) for i in range(len(owner))],
        arrays["names.score"].tolist(),
        arrays["names.key"].tolist(),
    )
    corpus.stats = Stats(data["notes"], *(arrays[f"stats.{name}"] for name in STATS))
    corpus.generation = data["generation"]
    corpus.dirty = set()
    return corpus


def calibration_json(calibration: Calibration | None) -> dict[str, Any] | None:
    return None if calibration is None else calibration.as_json()


def calibration_of(data: dict[str, Any] | None) -> Calibration | None:
    if data is None:
        return None
    return Calibration(
        data["weights"], data["scales"], data["source"], data["trials"], data["notes"]
    )


def pack_rankings(found: Rankings, arrays: Arrays) -> dict[str, Any]:
    rows = sorted(found.tops)
    tops = [found.tops[r] for r in rows]
    arrays["rank.ideas"] = found.ideas
    arrays["rank.tops"] = np.array(rows, dtype=np.int64)
    arrays["rank.top_length"] = np.array([len(t.cols) for t in tops], dtype=np.int64)
    arrays["rank.top_cols"] = _concat([t.cols for t in tops], np.int64)
    arrays["rank.top_scores"] = _concat([t.scores for t in tops], np.float64)
    arrays["rank.top_full"] = np.array([t.full for t in tops], dtype=bool)
    bests = [(t.best.text, t.best.text_at, t.best.loose, t.best.loose_at) for t in tops]
    arrays["rank.top_best"] = np.array(bests, dtype=np.float64).reshape(len(tops), 4)
    pair_bests = sorted(found.bests.items())
    arrays["rank.pair_best_rows"] = np.array([r for r, _ in pair_bests], dtype=np.int64)
    arrays["rank.pair_bests"] = np.array(
        [(b.text, b.text_at, b.loose, b.loose_at) for _, b in pair_bests], dtype=np.float64
    ).reshape(len(pair_bests), 4)
    table = found.table
    if table is not None:
        items = sorted(table.found.items())
        arrays["rank.pair_keys"] = np.array([k for k, _ in items], dtype=np.int64).reshape(-1, 2)
        arrays["rank.pair_scores"] = np.array([v[0] for _, v in items], dtype=np.float64)
        arrays["rank.pair_sources"] = np.array([v[1] for _, v in items], dtype=np.int64)
    return {
        "calibration": calibration_json(found.calibration),
        "generation": found.generation,
        "k": found.k,
        "limit": found.limit,
        "lists": found.lists,
        "want": found.want,
        "table": None if table is None else [table.tau, table.complete],
        "related": {
            str(r): [_related_json(x) for x in items] for r, items in found.related.items()
        },
        "chosen": [
            [p.first, p.second, p.score, [_reason_json(r) for r in p.reasons]] for p in found.chosen
        ],
    }


def unpack_rankings(data: dict[str, Any], arrays: Arrays) -> Rankings:
    calibration = calibration_of(data["calibration"])
    assert calibration is not None
    found = Rankings(calibration, data["generation"], data["k"], data["limit"], data["lists"])
    found.ideas, found.want = arrays["rank.ideas"], data["want"]
    starts = np.concatenate([[0], np.cumsum(arrays["rank.top_length"])]).tolist()
    cols, scores = arrays["rank.top_cols"], arrays["rank.top_scores"]
    for i, row in enumerate(arrays["rank.tops"].tolist()):
        text, text_at, loose, loose_at = arrays["rank.top_best"][i].tolist()
        best = Best(text, int(text_at), loose, int(loose_at))
        part = slice(starts[i], starts[i + 1])
        found.tops[row] = RowTop(
            cols[part].copy(), scores[part].copy(), bool(arrays["rank.top_full"][i]), best
        )
    found.related = {
        int(r): [_related_of(x) for x in items] for r, items in data["related"].items()
    }
    for row, best in zip(
        arrays["rank.pair_best_rows"].tolist(), arrays["rank.pair_bests"].tolist(), strict=True
    ):
        found.bests[row] = Best(best[0], int(best[1]), best[2], int(best[3]))
    if data["table"] is not None:
        table = PairTable(data["table"][0], complete=data["table"][1])
        keys, values = arrays["rank.pair_keys"].tolist(), arrays["rank.pair_scores"].tolist()
        sources = arrays["rank.pair_sources"].tolist()
        table.found = {
            (a, b): (score, source)
            for (a, b), score, source in zip(keys, values, sources, strict=True)
        }
        found.table = table
    found.chosen = [
        Pair(first, second, score, tuple(_reason_of(r) for r in reasons))
        for first, second, score, reasons in data["chosen"]
    ]
    return found


def dumps(data: dict[str, Any]) -> np.ndarray:
    return np.frombuffer(json.dumps(data, ensure_ascii=False).encode(), dtype=np.uint8)


def loads(blob: np.ndarray) -> Any:
    return json.loads(blob.tobytes().decode())


def _concat(parts: list[np.ndarray], dtype: type) -> np.ndarray:
    return np.concatenate(parts).astype(dtype) if parts else np.zeros(0, dtype=dtype)


def _reason_json(reason: Reason) -> list[list[str]]:
    return [list(reason.words), list(reason.notes)]


def _reason_of(data: list[list[str]]) -> Reason:
    return Reason(tuple(data[0]), tuple(data[1]))


def _related_json(item: Related) -> list[Any]:
    reasons = [_reason_json(r) for r in item.reasons]
    return [item.path, item.title, item.score, reasons, item.linked]


def _related_of(data: list[Any]) -> Related:
    path, title, score, reasons, linked = data
    return Related(path, title, score, tuple(_reason_of(r) for r in reasons), linked)
