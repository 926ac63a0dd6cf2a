"""The Reconnect page: whom to contact this week, what to share, upcoming dates."""

from __future__ import annotations

from vaultnet.pages.api import GenerateContext, Page, user_notes_changed
from vaultnet.pages.links import LinkStyle
from vaultnet.people.config import people_config, reconnect_config
from vaultnet.people.reconnect import load_plan
from vaultnet.people.render import render_page

PAGE_NAME = "Reconnect.md"


class ReconnectGenerator:
    name = "reconnect"

    def generate(self, context: GenerateContext) -> list[Page]:
        config = context.config
        path = f"{config.output_folder}/{PAGE_NAME}"
        plan = load_plan(
            context.store,
            people_config(config.section("people"), config.me),
            reconnect_config(config.section("reconnect")),
            context.today,
            settings=context.settings,
        )
        notes = context.store.paths_of_kind("note")
        return [Page(path, render_page(plan, LinkStyle.for_vault(context.settings, path, notes)))]

    def affects(self, context: GenerateContext, changed: set[str]) -> bool:
        """Any note outside the output folder can be a person, a mention or an idea."""
        return user_notes_changed(context, changed)
