"""Small generators the generate and watch tests run (the built-ins have their own tests)."""

from __future__ import annotations

from vaultnet.pages.api import GenerateContext, Page


def user_notes(context: GenerateContext) -> list[str]:
    return [row.title for row in context.view.notes() if not row.generator]


class Listing:
    """One page listing every user note (changes with any edit)."""

    name = "listing"

    def generate(self, context: GenerateContext) -> list[Page]:
        lines = [f"- [[{title}]]" for title in user_notes(context)]
        return [Page(f"{context.config.output_folder}/Listing.md", "\n".join(lines) + "\n")]

    def affects(self, context: GenerateContext, changed: set[str]) -> bool:
        return True


class PerIdea:
    """One page per note in `Ideas/`, about that note (removed when the note is gone)."""

    name = "per-idea"

    def generate(self, context: GenerateContext) -> list[Page]:
        return [
            Page(
                f"{context.config.output_folder}/About {row.title}.md",
                f"About [[{row.title}]]\n",
                subject=row.path,
            )
            for row in context.view.notes()
            if row.path.startswith("Ideas/") and not row.generator
        ]

    def affects(self, context: GenerateContext, changed: set[str]) -> bool:
        return any(path.startswith("Ideas/") for path in changed)


class Dated:
    """A page that shows the date it was generated for."""

    name = "dated"

    def generate(self, context: GenerateContext) -> list[Page]:
        return [Page(f"{context.config.output_folder}/Today.md", f"Today is {context.today}\n")]

    def affects(self, context: GenerateContext, changed: set[str]) -> bool:
        return False


class Footer:
    """A marked block at the end of every note in `Ideas/` that has `footer: true`."""

    name = "footer"

    def generate(self, context: GenerateContext) -> list[Page]:
        return [
            Page(row.path, f"Footer for {row.title}\n", block=True)
            for row in context.view.notes()
            if row.path.startswith("Ideas/") and row.frontmatter.get("footer") is True
        ]

    def affects(self, context: GenerateContext, changed: set[str]) -> bool:
        return True


class Broken:
    name = "broken"

    def generate(self, context: GenerateContext) -> list[Page]:
        raise RuntimeError("bug in a plugin")

    def affects(self, context: GenerateContext, changed: set[str]) -> bool:
        return True


NOT_A_GENERATOR = 42


class Follower:
    """Runs after `Listing` in the same batch and records whether Listing's page was already
    on disk by then (the watcher writes each generator's pages before the next one runs)."""

    name = "follower"

    def __init__(self) -> None:
        self.saw_listing: list[bool] = []

    def generate(self, context: GenerateContext) -> list[Page]:
        listing = context.root / context.config.output_folder / "Listing.md"
        self.saw_listing.append(listing.exists() and "[[Dinners]]" in listing.read_text())
        return []

    def affects(self, context: GenerateContext, changed: set[str]) -> bool:
        return True
