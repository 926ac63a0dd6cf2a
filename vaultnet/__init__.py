"""vaultnet: nurture the network and ideas you already have, from your Obsidian vault."""

__version__ = "0.1.0"
"""The release (pyproject.toml reads it from here): read without `importlib.metadata`, whose
import alone is a tenth of a warm `vaultnet related NOTE`'s budget."""
