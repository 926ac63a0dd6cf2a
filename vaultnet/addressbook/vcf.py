"""The vault's contacts as one vCard 3.0 file (`vaultnet contacts --vcf`): name, aliases as
NICKNAME, emails, phones, birthday, company and role, tags as CATEGORIES, LinkedIn, the note's
vault path as NOTE and a URL that opens it in Obsidian. vobject writes the cards (escapes,
folding, CRLF). Pure."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

import vobject

from vaultnet.people.contacts import Contact
from vaultnet.vault.dates import parse_date_value, parse_month_day
from vaultnet.vault.parse import property_tags
from vaultnet.vault.syntax.wikilinks import replace_wikilinks

APPLE_NO_YEAR = "1604"
"""The placeholder year Apple Contacts writes (with `X-APPLE-OMIT-YEAR`) for a birthday without
one; vCard 3.0 has no other way to say it, and Google and Outlook read it too."""


def _strings(value: Any) -> list[str]:
    """A property's values as text; a `[[link]]` as the name it shows (`[[Acme Corp]]`: the
    address book has no note to link to)."""
    items = value if isinstance(value, list) else [value]
    texts = (str(v) for v in items if v is not None and not isinstance(v, dict | list))
    shown = (replace_wikilinks(t, lambda w: w.parts.display or w.parts.link).strip() for t in texts)
    return [t for t in shown if t]


def _birthday(value: Any) -> tuple[str, bool] | None:
    """(BDAY value, whether the year is a placeholder)."""
    day = parse_date_value(value)
    if day is not None:
        return day.isoformat(), False
    month_day = parse_month_day(value)
    if month_day is None:
        return None
    return f"{APPLE_NO_YEAR}-{month_day[0]:02d}-{month_day[1]:02d}", True


def obsidian_url(vault: str, path: str) -> str:
    """The Obsidian URI that opens the note (`obsidian://open?vault=...&file=...`, both values
    percent-encoded, `/` too, as Obsidian's help asks)."""
    return f"obsidian://open?vault={quote(vault, safe='')}&file={quote(path, safe='')}"


def contact_card(contact: Contact, vault: str | None = None) -> str:
    """One contact as a vCard 3.0 card (CRLF lines, folded at 75 octets); with the `vault`'s
    name, a URL that opens the note in Obsidian (from the phone's or mail app's contact card)."""
    props = contact.properties
    card = vobject.vCard()
    card.add("fn").value = contact.name
    given, _, family = contact.name.rpartition(" ")
    card.add("n").value = vobject.vcard.Name(family=family, given=given)
    for alias in _strings(list(contact.aliases)):
        if alias.casefold() == contact.name.casefold():
            continue
        card.add("nickname").value = alias
    for key in ("emails", "email"):
        for email in _strings(props.get(key)):
            line = card.add("email")
            line.value = email.removeprefix("mailto:")
            line.type_param = "INTERNET"
    for key in ("phones", "phone"):
        for phone in _strings(props.get(key)):
            card.add("tel").value = phone
    company = next(iter(_strings(props.get("company"))), "")
    if company:
        card.add("org").value = [company]
    role = next(iter(_strings(props.get("role"))), "")
    if role:
        card.add("title").value = role
    birthday = _birthday(props.get("birthday"))
    if birthday is not None:
        line = card.add("bday")
        line.value = birthday[0]
        if birthday[1]:
            line.params["X-APPLE-OMIT-YEAR"] = [APPLE_NO_YEAR]
    tags = property_tags(props)
    if tags:
        card.add("categories").value = list(tags)
    linkedin = next(iter(_strings(props.get("linkedin"))), "")
    if linkedin:
        line = card.add("x-socialprofile")
        line.value = linkedin
        line.type_param = "linkedin"
    card.add("note").value = contact.path
    if vault:
        card.add("url").value = obsidian_url(vault, contact.path)
    return str(card.serialize())


def contacts_vcf(contacts: Iterable[Contact], vault: str | None = None) -> str:
    """Every contact, one card each, in the order given (`vault`: as for `contact_card`)."""
    return "".join(contact_card(c, vault) for c in contacts)
