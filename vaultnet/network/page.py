"""The Network page's generator (`Vaultnet/Network.md`), and `load_network`, the one place the
feature reads the index."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from vaultnet.network.config import network_config
from vaultnet.network.figures import network_of
from vaultnet.network.render import render_page
from vaultnet.pages.api import GenerateContext, Page, user_notes_changed
from vaultnet.pages.links import LinkStyle
from vaultnet.people.config import PeopleConfig, people_config, reconnect_config
from vaultnet.people.contacts import Contact, load_contacts

if TYPE_CHECKING:
    from vaultnet.index.store import Store

PAGE_NAME = "Network.md"


def load_network(store: Store, people: PeopleConfig, today: dt.date) -> tuple[Contact, ...]:
    """Every contact with its interactions: all the Network figures read from the index."""
    return load_contacts(store, people, today).contacts


class NetworkGenerator:
    name = "network"

    def generate(self, context: GenerateContext) -> list[Page]:
        config = context.config
        network = network_config(config.section("network"))
        if not network.enabled:
            return []
        people = people_config(config.section("people"), config.me)
        shares = reconnect_config(config.section("reconnect")).shares
        contacts = load_network(context.store, people, context.today)
        figures = network_of(contacts, context.today, people, shares, network)
        path = f"{config.output_folder}/{PAGE_NAME}"
        style = LinkStyle.for_vault(context.settings, path, context.store.paths_of_kind("note"))
        return [Page(path, render_page(figures, style, network.drifting_min))]

    def affects(self, context: GenerateContext, changed: set[str]) -> bool:
        """Any note outside the output folder can be a person or record a contact."""
        return user_notes_changed(context, changed)
