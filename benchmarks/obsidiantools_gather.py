"""obsidiantools reading a vault the way its README shows: `Vault(path).connect().gather()`.

    benchmarks/.venv-obsidiantools/bin/python benchmarks/obsidiantools_gather.py VAULT

Runs in its own venv (scan_bench.py makes it): obsidiantools is not a vaultnet dependency.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import obsidiantools.api as otools

if __name__ == "__main__":
    warnings.simplefilter("ignore")
    vault = otools.Vault(Path(sys.argv[1])).connect().gather()
    print(len(vault.md_file_index))
