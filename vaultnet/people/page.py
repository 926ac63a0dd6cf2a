"""The Reconnect page: whom to contact this week, what to share, upcoming dates."""

from __future__ import annotations

import posixpath
from dataclasses import replace

from vaultnet.pages.api import GenerateContext, Page, user_notes_changed
from vaultnet.pages.links import LinkStyle
from vaultnet.people.brief import briefs_of, load_facts
from vaultnet.people.config import people_config, reconnect_config
from vaultnet.people.reconnect import load_plan
from vaultnet.people.render import render_page
from vaultnet.people.render_brief import render_brief
from vaultnet.vault.files import read_note_text

PAGE_NAME = "Reconnect.md"
BRIEFS_FOLDER = "Briefs"


def brief_path(output: str, name: str) -> str:
    """A person's brief page: `(brief)` after the name, so it never shares the name of the
    person's own note (Obsidian would then resolve `[[Name]]` to one of two notes)."""
    return f"{output}/{BRIEFS_FOLDER}/{name} (brief).md"


class ReconnectGenerator:
    name = "reconnect"

    def generate(self, context: GenerateContext) -> list[Page]:
        config, store = context.config, context.store
        path = f"{config.output_folder}/{PAGE_NAME}"
        people = people_config(config.section("people"), config.me)
        reconnect = reconnect_config(config.section("reconnect"))
        plan = load_plan(store, people, reconnect, context.today, settings=context.settings)
        notes = store.paths_of_kind("note")
        style = LinkStyle.for_vault(context.settings, path, notes)
        if not reconnect.briefs or not plan.suggestions:
            return [Page(path, render_page(plan, style))]
        suggested = [s.contact.path for s in plan.suggestions]
        facts = load_facts(store, people, context.today)
        texts = {p: read_note_text(context.root, p) for p in suggested}
        briefs = briefs_of(
            store, facts, reconnect, suggested, context.today, context.settings, texts
        )
        paths = {b.contact.path: brief_path(config.output_folder, b.contact.name) for b in briefs}
        pages = [Page(path, render_page(plan, style, paths))]
        folder_style = LinkStyle.for_vault(context.settings, f"{config.output_folder}/x", notes)
        for brief in briefs:
            page = paths[brief.contact.path]
            body = render_brief(brief, replace(folder_style, folder=posixpath.dirname(page)))
            pages.append(Page(page, body, subject=brief.contact.path))
        return pages

    def affects(self, context: GenerateContext, changed: set[str]) -> bool:
        """Any note outside the output folder can be a person, a mention or an idea."""
        return user_notes_changed(context, changed)
