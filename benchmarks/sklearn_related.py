"""The obvious alternative to vaultnet's related notes, as a Python user writes it in an afternoon:
scikit-learn's `TfidfVectorizer` over every note, and the 10 most similar notes of each idea note
by a sparse dot product.

    python benchmarks/sklearn_related.py VAULT IDEAS_FILE [--json]

IDEAS_FILE lists the idea notes' vault paths, one a line (the notes vaultnet ranks). Prints the
time of each phase, measured in this process after the imports: read (every `.md` file of the
vault but the `.obsidian` folder), vectorise (`TfidfVectorizer().fit_transform`, its defaults),
rank (each idea note's row times the matrix, in blocks of 256, top 10 by `argpartition`, never
itself).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("vault", type=Path)
    parser.add_argument("ideas", type=Path)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    start = time.perf_counter()
    paths = sorted(
        p for p in args.vault.rglob("*.md") if ".obsidian" not in p.relative_to(args.vault).parts
    )
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in paths]
    read = time.perf_counter()
    matrix = TfidfVectorizer().fit_transform(texts).tocsr()
    vectorised = time.perf_counter()
    row_of = {p.relative_to(args.vault).as_posix(): i for i, p in enumerate(paths)}
    ideas = [row_of[line] for line in args.ideas.read_text().splitlines() if line in row_of]
    by_note = matrix.T.tocsr()
    found = 0
    for at in range(0, len(ideas), 256):
        rows = ideas[at : at + 256]
        scores = (matrix[rows] @ by_note).toarray()
        scores[np.arange(len(rows)), rows] = -1.0
        best = np.argpartition(-scores, 10, axis=1)[:, :10]
        order = np.argsort(-np.take_along_axis(scores, best, axis=1), axis=1)
        found += np.take_along_axis(best, order, axis=1).shape[0]
    ranked = time.perf_counter()
    times = {
        "read": read - start,
        "vectorise": vectorised - read,
        "rank": ranked - vectorised,
        "total": ranked - start,
        "notes": len(paths),
        "ideas": found,
    }
    print(json.dumps(times) if args.json else times)
    return 0


if __name__ == "__main__":
    sys.exit(main())
