"""The Network page: the network's health at a glance (contact per month, the mix of people
reached against the aimed shares, the strongest ties on a map, drifting ties), as Mermaid charts
Obsidian draws itself, each followed by its numbers as a table; and `vaultnet network`."""
