"""The Reconnect page (whom to contact this week, what to share, upcoming dates) and a brief page
for each person on it."""

from __future__ import annotations

import posixpath

from vaultnet.pages.api import GenerateContext, Page, user_notes_changed
from vaultnet.pages.names import safe_stem
from vaultnet.people.brief import briefs_of
from vaultnet.people.config import ReconnectConfig
from vaultnet.people.reconnect import reconnect_plan
from vaultnet.reconnect.guide import guide_of
from vaultnet.reconnect.render import render_page
from vaultnet.reconnect.render_brief import render_brief
from vaultnet.vault.files import read_note_text
from vaultnet.vault.resolve import fold, note_stem

PAGE_NAME = "Reconnect.md"
BRIEFS_FOLDER = "Briefs"
BRIEF_SUFFIX = " (brief)"


def brief_paths(output: str, people: list[str]) -> dict[str, str]:
    """Each person's brief page, by their note's path: `<name> (brief).md`, so it never shares
    the name of the person's own note (Obsidian would resolve `[[Name]]` to either); the note's
    folder joins the name when two of `people` share it; a name safe on every platform, as the
    writer would make it, so the Reconnect page links exactly where the page is written."""
    stems = [note_stem(p) for p in people]
    paths = {}
    for person, stem in zip(people, stems, strict=True):
        if sum(fold(s) == fold(stem) for s in stems) > 1:
            stem = posixpath.join(posixpath.dirname(person), stem).replace("/", " - ")
        name = safe_stem(stem, len(BRIEF_SUFFIX.encode())) + BRIEF_SUFFIX
        paths[person] = f"{output}/{BRIEFS_FOLDER}/{name}.md"
    return paths


class ReconnectGenerator:
    name = "reconnect"

    def generate(self, context: GenerateContext) -> list[Page]:
        output = context.settings.output_folder
        path = f"{output}/{PAGE_NAME}"
        reconnect = context.settings.table(ReconnectConfig)
        plan = reconnect_plan(context.gathering)
        style = context.link_style(path)
        if not plan.suggestions:
            return [Page(path, render_page(plan, style, guide=guide_of(context.gathering)))]
        if not reconnect.briefs:
            return [Page(path, render_page(plan, style))]
        suggested = [s.contact.path for s in plan.suggestions]
        texts = {p: read_note_text(context.root, p) for p in suggested}
        briefs = briefs_of(context.gathering, suggested, texts)
        paths = brief_paths(output, suggested)
        pages = [Page(path, render_page(plan, style, paths))]
        # every brief is in one folder, so one link style serves them all
        brief_style = context.link_style(paths[suggested[0]])
        for brief in briefs:
            page = paths[brief.contact.path]
            pages.append(Page(page, render_brief(brief, brief_style), subject=brief.contact.path))
        return pages

    def affects(self, context: GenerateContext, changed: set[str]) -> bool:
        """Any note outside the output folder can be a person, a mention or an idea."""
        return user_notes_changed(context, changed)
