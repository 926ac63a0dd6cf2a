"""Built-in page generators (registered as `vaultnet.generators` entry points)."""
