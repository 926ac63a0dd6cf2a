"""Mentions: one note names the other (its title or an alias) in its text without linking it.

Names and text are compared as terms (`vaultnet.vault.terms.tokens`): B's name is mentioned in A
when every term of the name occurs in A. A mention in either direction scores the sum of the
name's term idfs (`ln(N / df)`, `Stats.name_idf`), so "Canvas" counts more than "Format"; when
both notes mention each other the two scores add. This is Obsidian's "unlinked mentions".

`Names` holds every note's names as term ids, each filed under its rarest term: a note can only
contain a name whose rarest term it has, so the names filed under a note's terms are every
candidate (`forward`, and `forward_block` for many notes at once as sparse products); the notes
that contain a note's name are found from the notes holding its terms (`holders_block`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import numpy as np

from vaultnet.related.rows import SparseRows, csr, diagonal
from vaultnet.related.sparse import sp
from vaultnet.related.stats import Stats

DENSE_CELLS = 16_000_000
"""Texts are checked for names this many (text, term) cells at a time (a boolean table)."""


class Names:
    """Every note's names (title and aliases) as term ids, and their scores under `Stats`."""

    def __init__(self) -> None:
        self.owner: list[int] = []
        """Name id -> the row it names (-1: removed)."""
        self.terms: list[tuple[int, ...]] = []
        self.score: list[float] = []
        self.of_row: dict[int, list[int]] = {}
        self.filed: dict[int, list[int]] = {}
        """Term id -> the names filed under it (each name under its rarest term)."""
        self._key: list[int] = []
        self._arrays: tuple[sp.csr_matrix, np.ndarray, np.ndarray, np.ndarray] | None = None
        self._owners: np.ndarray | None = None
        self._scores: np.ndarray | None = None
        self._by_row: sp.csr_matrix | None = None

    def set(self, row: int, names: Sequence[tuple[int, ...]], stats: Stats | None) -> None:
        """Replace `row`'s names."""
        self.clear(row)
        ids = []
        for terms in names:
            ident = len(self.owner)
            key = min(terms, key=lambda t: (_df(stats, t), t))
            self.owner.append(row)
            self.terms.append(terms)
            self.score.append(name_score(terms, stats))
            self._key.append(key)
            self.filed.setdefault(key, []).append(ident)
            ids.append(ident)
        if ids:
            self.of_row[row] = ids
        self._arrays = self._owners = self._scores = self._by_row = None

    def bulk(self, rows: Sequence[int], names: Sequence[Sequence[tuple[int, ...]]]) -> None:
        """Add the names of many rows at once (unscored until `rescore`)."""
        for row, found in zip(rows, names, strict=True):
            if not found:
                continue
            start = len(self.owner)
            self.owner.extend([row] * len(found))
            self.terms.extend(found)
            self.of_row[row] = list(range(start, start + len(found)))
        self.score.extend([0.0] * (len(self.owner) - len(self.score)))
        self._key.extend(name[0] for name in self.terms[len(self._key) :])
        self._arrays = self._owners = self._scores = self._by_row = None

    def restore(
        self, owners: list[int], names: list[tuple[int, ...]], scores: list[float], keys: list[int]
    ) -> None:
        """Put back names as `packing` saved them (scored and filed)."""
        self.__init__()  # type: ignore[misc]
        self.owner, self.terms, self.score, self._key = list(owners), list(names), scores, keys
        for ident, (owner, key) in enumerate(zip(owners, keys, strict=True)):
            self.of_row.setdefault(owner, []).append(ident)
            self.filed.setdefault(key, []).append(ident)

    def remap(self, rows: np.ndarray, terms: np.ndarray) -> None:
        """Renumber rows and terms (`rows[old]`: the new row, -1 for a removed one); the names
        of removed rows drop. Unscored until `rescore`."""
        kept = [
            (int(rows[o]), tuple(int(terms[t]) for t in name))
            for o, name in zip(self.owner, self.terms, strict=True)
            if o >= 0 and rows[o] >= 0
        ]
        kept.sort(key=lambda item: item[0])
        self.__init__()  # type: ignore[misc]
        by_row: dict[int, list[tuple[int, ...]]] = {}
        for row, name in kept:
            by_row.setdefault(row, []).append(name)
        self.bulk(list(by_row), list(by_row.values()))

    def clear(self, row: int) -> None:
        for ident in self.of_row.pop(row, ()):
            self.owner[ident] = -1
            filed = self.filed[self._key[ident]]
            filed.remove(ident)
            if not filed:
                del self.filed[self._key[ident]]
        self._arrays = self._owners = self._scores = self._by_row = None

    def rows_names(self, row: int) -> list[tuple[int, ...]]:
        return [self.terms[i] for i in self.of_row.get(row, ())]

    def forward(self, terms: np.ndarray) -> dict[int, float]:
        """Row -> the best score among its names that a text with these (sorted) term ids
        contains."""
        have = set(terms.tolist())
        found: dict[int, float] = {}
        for term in terms.tolist():
            for ident in self.filed.get(term, ()):
                name = self.terms[ident]
                if len(name) == 1 or have.issuperset(name):
                    owner, score = self.owner[ident], self.score[ident]
                    if score > found.get(owner, 0.0):
                        found[owner] = score
        return found

    def mentions(self, row: int, other: int, terms: np.ndarray) -> bool:
        """Whether the text of `row` (these sorted term ids) names `other` (a name of it with a
        score above 0)."""
        for ident in self.of_row.get(other, ()):
            name = np.asarray(self.terms[ident])
            at = np.minimum(np.searchsorted(terms, name), max(len(terms) - 1, 0))
            if self.score[ident] > 0.0 and len(terms) and bool(np.all(terms[at] == name)):
                return True
        return False

    def forward_block(
        self, pattern: sp.csr_matrix, width: int, allowed: np.ndarray | None = None
    ) -> sp.csr_matrix:
        """`forward` for each row of `pattern` (the term ids of a block of texts, sorted), as a
        `len(pattern) x width` matrix of scores (rows named; the best name of each); only the
        names `allowed` marks (by name id), when given."""
        keys, lengths, flat, offsets = self._matrices(pattern.shape[1])
        rows = pattern.shape[0]
        if not len(self.owner) or not pattern.nnz:
            return csr(rows, width)
        if allowed is not None:
            keys = (keys @ diagonal(allowed.astype(np.float64))).tocsr()
            keys.eliminate_zeros()
        step = max(1, min(rows, DENSE_CELLS // max(1, pattern.shape[1])))
        parts = []
        for start in range(0, rows, step):
            part = pattern[start : start + step]
            parts.append(self._forward(part, keys, lengths, flat, offsets, width))
        return sp.vstack(parts).tocsr() if len(parts) > 1 else parts[0]

    def _forward(
        self,
        pattern: sp.csr_matrix,
        keys: sp.csr_matrix,
        lengths: np.ndarray,
        flat: np.ndarray,
        offsets: np.ndarray,
        width: int,
    ) -> sp.csr_matrix:
        rows, terms = pattern.shape
        binary = sp.csr_matrix(
            (np.ones(pattern.nnz), pattern.indices, pattern.indptr), pattern.shape
        )
        hits = binary @ keys[:terms]
        hits.eliminate_zeros()
        hits = hits.tocoo()
        text, name = hits.row.astype(np.int64), hits.col.astype(np.int64)
        long = lengths[name] > 1
        if long.any():
            # every term of a longer name must be in the text: look each one up
            which, count, first, term = _long_names(name, long, lengths, flat, offsets)
            have = np.zeros((rows, terms + 1), dtype=bool)
            have[np.repeat(np.arange(rows), np.diff(pattern.indptr)), pattern.indices] = True
            inside = have[np.repeat(text[which], count), np.minimum(term, terms)]
            complete = np.add.reduceat(inside, first) == count
            keep = ~long
            keep[which[complete]] = True
            text, name = text[keep], name[keep]
        owners, scores = self.owners()[name], self.scores()[name]
        return best_per_cell(text, owners, scores, (rows, width))

    def pair_forward(
        self, left: np.ndarray, right: np.ndarray, texts: Callable[[np.ndarray], sp.csr_matrix]
    ) -> np.ndarray:
        """For each pair, the best score among `right[i]`'s names that the text of `left[i]`
        holds (`forward`, pair by pair); `texts(rows)`: those rows' term ids."""
        found = np.zeros(len(left))
        named = self._named(int(max(right.max(initial=-1), left.max(initial=-1))) + 1)
        count = np.diff(named.indptr)[right]
        if not count.sum():
            return found
        pair = np.repeat(np.arange(len(left)), count)
        starts = np.repeat(named.indptr[right], count)
        ident = named.indices[
            starts + np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
        ]
        pattern_rows = np.unique(left[pair])
        pattern = texts(pattern_rows)
        _, lengths, flat, offsets = self._matrices(pattern.shape[1])
        length = lengths[ident]
        first = np.cumsum(length) - length
        term = flat[
            np.repeat(offsets[ident], length) + np.arange(length.sum()) - np.repeat(first, length)
        ]
        width = np.int64(pattern.shape[1] + 1)
        at_row = np.searchsorted(pattern_rows, left[pair])
        have = np.repeat(np.arange(len(pattern_rows), dtype=np.int64), np.diff(pattern.indptr))
        have = have * width + pattern.indices
        wanted = np.repeat(at_row, length) * width + np.minimum(term, width - 1)
        at = np.minimum(np.searchsorted(have, wanted), max(len(have) - 1, 0))
        inside = have[at] == wanted if len(have) else np.zeros(len(wanted), bool)
        complete = np.add.reduceat(inside, first) == length
        scores = np.where(complete, self.scores()[ident], 0.0)
        np.maximum.at(found, pair, scores)
        return found

    def _named(self, rows: int) -> sp.csr_matrix:
        """Row -> its live names (a CSR pattern, kept until the names change)."""
        if self._by_row is None or self._by_row.shape[0] < rows:
            owners = self.owners()
            live = np.flatnonzero(owners >= 0)
            height = max(rows, int(owners.max(initial=-1)) + 1)
            self._by_row = sp.csr_matrix(
                (np.ones(len(live)), (owners[live], live)), shape=(height, len(owners))
            )
            self._by_row.sort_indices()
        return self._by_row

    def holders_block(self, rows: np.ndarray, texts: SparseRows, width: int) -> sp.csr_matrix:
        """For each of `rows`, the notes whose text holds one of the row's names: the best such
        name's score (for a block of notes at once: each name's candidates are the notes with its
        rarest term, one sparse product, then checked). `texts`: each note's term counts
        (`Corpus.counts`), read as they are, changed rows and all."""
        pairs = [
            (at, i)
            for at, r in enumerate(rows.tolist())
            for i in self.of_row.get(r, ())
            if self.score[i] > 0.0
        ]
        if not pairs:
            return csr(len(rows), width)
        position = np.array([at for at, _ in pairs], dtype=np.int64)
        idents = np.array([i for _, i in pairs], dtype=np.int64)
        terms = texts.cols
        key = np.asarray(self._key, dtype=np.int64)[idents]
        inside = key < terms
        idents, key, position = idents[inside], key[inside], position[inside]
        keys = sp.csr_matrix(
            (np.ones(len(idents), dtype=texts.dtype), (np.arange(len(idents)), key)),
            shape=(len(idents), terms),
        )
        # candidates: (name, text) for each text holding the name's rarest term
        hits = texts.times(keys).tocoo()
        name, text = hits.row.astype(np.int64), hits.col.astype(np.int64)
        _, lengths, flat, offsets = self._matrices(terms)
        ident, owner_rows = idents[name], position[name]
        long = lengths[ident] > 1
        if long.any():
            which, count, first, term = _long_names(ident, long, lengths, flat, offsets)
            found = texts.has(np.repeat(text[which], count), term)
            complete = np.add.reduceat(found, first) == count
            keep = ~long
            keep[which[complete]] = True
            ident, text, owner_rows = ident[keep], text[keep], owner_rows[keep]
        keep = text != rows[owner_rows]
        scores = self.scores()[ident]
        return best_per_cell(owner_rows[keep], text[keep], scores[keep], (len(rows), width))

    def keys(self) -> np.ndarray:
        """Each name's rarest term (the one it is filed under)."""
        return np.asarray(self._key, dtype=np.int64)

    def owners(self) -> np.ndarray:
        """Each name's row (-1: removed), as an array (kept until the names change)."""
        if self._owners is None:
            self._owners = np.asarray(self.owner, dtype=np.int64)
        return self._owners

    def scores(self) -> np.ndarray:
        """Each name's score, as an array (kept until the names change)."""
        if self._scores is None:
            self._scores = np.asarray(self.score, dtype=np.float64)
        return self._scores

    def _matrices(self, terms: int) -> tuple[sp.csr_matrix, np.ndarray, np.ndarray, np.ndarray]:
        """(term x name matrix of each live name's rarest term, name lengths, the names' terms
        flat, where each name starts in it)."""
        if self._arrays is None or self._arrays[0].shape[0] < terms:
            live = [i for i, owner in enumerate(self.owner) if owner >= 0]
            width = max(terms, max(self._key, default=-1) + 1)
            keys = sp.csr_matrix(
                (np.ones(len(live)), ([self._key[i] for i in live], live)),
                shape=(width, len(self.owner)),
            )
            lengths = np.array([len(t) for t in self.terms], dtype=np.int64)
            offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
            flat = np.fromiter((t for name in self.terms for t in name), np.int64, lengths.sum())
            self._arrays = (keys, lengths, flat, offsets)
        return self._arrays

    def rescore(self, stats: Stats) -> None:
        """Score and file every name again under new statistics."""
        df = stats.df
        width = len(df)
        self.filed = {}
        for ident, (owner, name) in enumerate(zip(self.owner, self.terms, strict=True)):
            if owner < 0:
                continue
            self.score[ident] = name_score(name, stats)
            key = min(name, key=lambda t: (int(df[t]) if t < width else 0, t))
            self._key[ident] = key
            self.filed.setdefault(key, []).append(ident)
        self._arrays = self._owners = self._scores = self._by_row = None


def _df(stats: Stats | None, term: int) -> int:
    if stats is None or term >= len(stats.df):
        return 0
    return int(stats.df[term])


def name_score(terms: Iterable[int], stats: Stats | None) -> float:
    """The sum of a name's term idfs, added up in the name's order."""
    total = 0.0
    if stats is not None:
        for term in terms:
            total += stats.name_idf(term)
    return total


def best_per_cell(
    rows: np.ndarray, cols: np.ndarray, values: np.ndarray, shape: tuple[int, int]
) -> sp.csr_matrix:
    """A matrix holding, at each (row, col) given, the largest of its values."""
    if not len(rows):
        return csr(*shape)
    keys = rows.astype(np.int64) * shape[1] + cols
    order = np.argsort(keys, kind="stable")
    keys, values = keys[order], values[order]
    starts = np.flatnonzero(np.concatenate([[True], keys[1:] != keys[:-1]]))
    best = np.maximum.reduceat(values, starts)
    keys = keys[starts]
    return sp.csr_matrix((best, (keys // shape[1], keys % shape[1])), shape=shape)


def _long_names(
    names: np.ndarray, long: np.ndarray, lengths: np.ndarray, flat: np.ndarray, offsets: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The terms of the `long` ones of `names` (names of more than one term), in one array:
    (where each is in `names`, its count of terms, where its terms start, the terms)."""
    which = np.flatnonzero(long)
    count = lengths[names[which]]
    first = np.cumsum(count) - count
    starts = np.repeat(offsets[names[which]], count)
    step = np.arange(count.sum()) - np.repeat(first, count)
    return which, count, first, flat[starts + step]
