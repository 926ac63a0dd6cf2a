"""Writing into the vault: the generator API and plugins, `generate`, the safe writer, marked
blocks, page names, link style and the per-vault locks. The only bytes vaultnet puts in a vault
go through here."""
