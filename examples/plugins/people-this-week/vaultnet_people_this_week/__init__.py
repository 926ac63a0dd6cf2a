"""An example third-party vaultnet generator: the people you met in the last seven days.

Install it beside vaultnet (`pip install -e examples/plugins/people-this-week`) and
`vaultnet generate` writes `Vaultnet/People I met this week.md`. It uses only the public
generator API (`vaultnet.pages.api`) and the index's read queries. Links are written the
vault's way and made inert (`LinkStyle`): a name from the vault never runs in Obsidian.
"""

from __future__ import annotations

import datetime as dt

from vaultnet.pages.api import GenerateContext, LinkStyle, Page

PERSON_FOLDERS = ("people", "contacts")
PERSON_TAGS = {"person", "people", "contact"}


class PeopleThisWeek:
    name = "people-this-week"

    def generate(self, context: GenerateContext) -> list[Page]:
        store = context.store
        since = context.today - dt.timedelta(days=6)
        people = {row.path: row.title for row in store.notes() if _is_person(row.path, row.tags)}
        met: dict[str, set[str]] = {}
        for row in store.notes():
            if row.generator or row.template or row.date is None or row.path in people:
                continue
            if not since <= row.date <= context.today:
                continue
            for link in store.links_from(row.path):
                if link.path in people and not link.link.commented:
                    met.setdefault(link.path, set()).add(row.path)
        page = f"{context.config.output_folder}/People I met this week.md"
        style = LinkStyle.for_vault(context.settings, page, (row.path for row in store.notes()))
        lines = [f"# People I met this week ({since} to {context.today})", ""]
        for path in sorted(met, key=lambda p: people[p].casefold()):
            notes = ", ".join(style.link(note) for note in sorted(met[path]))
            lines.append(f"- {style.link(path)}: {notes}")
        if not met:
            lines.append("Nobody yet this week.")
        return [Page(page, "\n".join(lines) + "\n")]

    def affects(self, context: GenerateContext, changed: set[str]) -> bool:
        return True  # any note can gain or lose a date or a mention; the page is cheap


def _is_person(path: str, tags: tuple[str, ...]) -> bool:
    folders = {part.casefold() for part in path.split("/")[:-1]}
    return bool(folders & set(PERSON_FOLDERS)) or bool({t.casefold() for t in tags} & PERSON_TAGS)
