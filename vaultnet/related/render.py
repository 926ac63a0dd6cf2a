"""The markdown of the related pages: a note's related page (or block) and the Suggested links
page. Pure: records in, text out; every link written in the vault's link style, every piece of
vault text inert (`vaultnet.pages.inert`)."""

from __future__ import annotations

from vaultnet.pages.inert import inert
from vaultnet.pages.links import LinkStyle
from vaultnet.people.audience import Listener
from vaultnet.reasons import Reason
from vaultnet.related.calibration import Related
from vaultnet.related.rankings import Pair


def render_related(
    subject: str, related: list[Related], style: LinkStyle, audience: tuple[Listener, ...] = ()
) -> str:
    lines = [f"# Related to {style.link(subject)}", ""]
    if related:
        lines += ["Notes related to this one that it does not link to yet, strongest first.", ""]
        lines += _items(related, style)
    return "\n".join(lines + _audience(audience, style, "##")).rstrip("\n") + "\n"


def render_block(
    subject: str, related: list[Related], style: LinkStyle, audience: tuple[Listener, ...] = ()
) -> str:
    """The section vaultnet keeps at the end of an idea note (`[related] mode = "block"`), the
    note `subject` itself (the same arguments as `render_related`)."""
    lines = [
        "## Related notes",
        "",
        "Written by vaultnet: related notes this one does not link to yet (replaced on each run).",
        "",
    ]
    lines += _items(related, style)
    return "\n".join(lines + _audience(audience, style, "###")).rstrip("\n") + "\n"


def _audience(audience: tuple[Listener, ...], style: LinkStyle, heading: str) -> list[str]:
    """ "People who would care": the contacts the idea was not shared with, best first."""
    if not audience:
        return []
    lines = ["", f"{heading} People who would care", ""]
    for listener in audience:
        snoozed = " (snoozed)" if listener.contact.status == "snoozed" else ""
        reasons = inert("; ".join(listener.reasons))
        lines.append(f"- {style.link(listener.contact.path)}{snoozed}: {reasons}")
    return lines


def _items(related: list[Related], style: LinkStyle) -> list[str]:
    """Each related note and why, strongest first (the order says how strong: no raw score)."""
    return [f"- {style.link(item.path)}: {_reasons(item.reasons, style)}" for item in related]


def render_suggested(
    pairs: list[Pair], style: LinkStyle, notice: str = "", floor: float = 0.0
) -> str:
    """The Suggested links page: the pairs scoring at least `floor` that have a reason of their
    own (a shared folder alone is no reason to link two notes), strongest first."""
    shown = [p for p in pairs if p.score >= floor and not _folder_only(p.reasons)]
    lines = [
        "# Suggested links",
        "",
        "Related notes that do not link to each other yet, strongest first: link them, merge "
        "them, or leave them.",
        "",
    ]
    if notice:
        lines += [f"(Note: {notice.removeprefix('related: ')}.)", ""]
    if not shown:
        lines.append(
            "Nothing to suggest yet: two idea notes that share rare words, tags, people or the "
            "notes they link to, but do not link each other, show here."
        )
    for pair in shown:
        lines.append(
            f"- {style.link(pair.first)} and {style.link(pair.second)}: "
            f"{_reasons(pair.reasons, style)}"
        )
    if len(shown) < len(pairs):
        weaker = len(pairs) - len(shown)
        lines += ["", f"{weaker} weaker {'pair is' if weaker == 1 else 'pairs are'} left out."]
    return "\n".join(lines) + "\n"


PAIR_FLOOR = 0.15
"""A suggested pair scores at least this share of the signals' total weight (a pair that shares
one everyday word, or only a folder, is not worth a link)."""


def _folder_only(reasons: tuple[Reason, ...]) -> bool:
    return bool(reasons) and all(r.words[0].startswith(FOLDER_WORDS) for r in reasons)


FOLDER_WORDS = ("in the same folder", "in ")
"""How the folders signal's reasons start (`vaultnet.related.folders`)."""


def _reasons(reasons: tuple[Reason, ...], style: LinkStyle) -> str:
    """The reasons on one line, notes linked in `style` (the vault's link settings), their words
    inert (`vaultnet.pages.inert`: tags shown but not tagging the page, nothing that runs)."""
    if not reasons:
        return "related"
    return "; ".join(reason.render(style.link, inert) for reason in reasons)
