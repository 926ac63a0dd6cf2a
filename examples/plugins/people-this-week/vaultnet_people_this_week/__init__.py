"""An example third-party vaultnet generator: the people you met in the last seven days.

Install it beside vaultnet (`pip install -e examples/plugins/people-this-week`) and
`vaultnet generate` writes `Vaultnet/People I met this week.md`. It uses only the public
generator API (`vaultnet.pages.api`): the run's people facts (every contact under the user's own
`[people]` settings, with their interactions, gathered once and shared with the other
generators) and the index's read-only view. Links are written the vault's way and made inert
(`LinkStyle`): a name from the vault never runs in Obsidian.
"""

from __future__ import annotations

import datetime as dt

from vaultnet.pages.api import GenerateContext, LinkStyle, Page, people_facts, user_notes_changed


class PeopleThisWeek:
    name = "people-this-week"

    def generate(self, context: GenerateContext) -> list[Page]:
        since = context.today - dt.timedelta(days=6)
        met: dict[str, set[str]] = {}
        names: dict[str, str] = {}
        for contact in context.facts(people_facts).people.contacts:
            for interaction in contact.interactions:
                if since <= interaction.date <= context.today:
                    names[contact.path] = contact.name
                    met.setdefault(contact.path, set()).update(e.path for e in interaction.evidence)
        page = f"{context.settings.output_folder}/People I met this week.md"
        style = LinkStyle.for_vault(context.obsidian, page, context.view.paths_of_kind("note"))
        lines = [f"# People I met this week ({since} to {context.today})", ""]
        for path in sorted(met, key=lambda p: (names[p].casefold(), p)):
            notes = ", ".join(style.link(note) for note in sorted(met[path]) if note != path)
            lines.append(f"- {style.link(path)}: {notes}" if notes else f"- {style.link(path)}")
        if not met:
            lines.append("Nobody yet this week.")
        return [Page(page, "\n".join(lines) + "\n")]

    def affects(self, context: GenerateContext, changed: set[str]) -> bool:
        return user_notes_changed(context, changed)  # a person, a date or a mention can change
