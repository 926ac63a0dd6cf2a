"""The Network page's generator (`Vaultnet/Network.md`), and `load_network`, the one place the
feature reads the vault: the people the run has gathered."""

from __future__ import annotations

from typing import TYPE_CHECKING

from vaultnet.network.config import NetworkConfig
from vaultnet.network.figures import Network, network_of
from vaultnet.network.render import render_page
from vaultnet.pages.api import GenerateContext, Page, user_notes_changed
from vaultnet.people.config import PeopleConfig, ReconnectConfig
from vaultnet.people.contacts import Contact
from vaultnet.people.facts import people_facts

if TYPE_CHECKING:
    from vaultnet.index.gathering import Gathering

PAGE_NAME = "Network.md"


def load_network(gathering: Gathering) -> tuple[Contact, ...]:
    """Every contact with its interactions, as the run gathered them once for every feature
    (`people_facts`): all the Network figures read from the vault."""
    return gathering.facts(people_facts).people.contacts


def network_figures(gathering: Gathering) -> Network:
    """The Network figures of the run (`vaultnet network` and the page)."""
    settings = gathering.settings
    return network_of(
        load_network(gathering),
        gathering.today,
        settings.table(PeopleConfig),
        settings.table(ReconnectConfig).shares,
        settings.table(NetworkConfig),
    )


class NetworkGenerator:
    name = "network"

    def generate(self, context: GenerateContext) -> list[Page]:
        network = context.settings.table(NetworkConfig)
        if not network.enabled:
            return []
        figures = network_figures(context.gathering)
        path = f"{context.settings.output_folder}/{PAGE_NAME}"
        style = context.link_style(path)
        return [Page(path, render_page(figures, style, network.drifting_min))]

    def affects(self, context: GenerateContext, changed: set[str]) -> bool:
        """Any note outside the output folder can be a person or record a contact; but when
        the run took the people facts over from the run before (`vaultnet.people.carry`: no
        change since can change them) and this page stands as made from them, its one input
        from the vault is as it was, and the page with it (the carry also needs the same day,
        settings and note names)."""
        gathering = context.gathering
        same = gathering.took(people_facts) and self.name in gathering.pages_made
        return user_notes_changed(context, changed) and not same
