"""Reading the vault: finding and walking it, parsing notes (frontmatter, links, tags, dates,
words), Obsidian's settings and its link-resolution rules. Depends on nothing else in vaultnet."""
