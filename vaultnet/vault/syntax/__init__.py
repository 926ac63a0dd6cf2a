"""Obsidian's markdown dialect as markdown-it-py rules, each in its own module.

Only the rules that decide what is code, comment, math, link or tag are enabled: vaultnet never
renders, so emphasis, entities and the like would cost time and change nothing.
"""
