"""Note text for the synthetic vault: one function per kind of note, plan in, markdown out."""

from __future__ import annotations

import math
import random
from datetime import date
from urllib.parse import quote

from synth_plan import CADENCES, Idea, Meeting, Org, Person, Plan
from synth_words import Vocabulary, paragraph, sentence, short_phrase

MENTION_COUNTS = (0, 1, 2, 3, 4)
MENTION_WEIGHTS = (25, 30, 22, 13, 10)
MENTION_TEMPLATES = (
    "Coffee with {}",
    "Call with {}",
    "Lunch with {}",
    "{} mentioned",
    "Met {}",
    "Messaged {}",
    "Long walk with {}",
    "{} sent",
    "Caught up with {}",
)
MOODS = ("good", "ok", "tired", "great", "low")
CODE_LANGUAGES = ("python", "js", "bash", "sql", "")


def amount(rng: random.Random, mean: float, sigma: float = 0.6) -> int:
    """A log-normal count with the given mean, at least 1: note lengths have a long tail."""
    mu = math.log(mean) - sigma * sigma / 2
    return max(1, round(rng.lognormvariate(mu, sigma)))


def frontmatter(lines: list[str]) -> str:
    return "---\n" + "\n".join(lines) + "\n---\n" if lines else ""


def wikilink(target: str, shown: str | None = None, in_table: bool = False) -> str:
    if shown is None:
        return f"[[{target}]]"
    return f"[[{target}\\|{shown}]]" if in_table else f"[[{target}|{shown}]]"


def markdown_link(rng: random.Random, text: str, path: str) -> str:
    """A markdown link to a note, in one of the two forms Obsidian writes."""
    if rng.random() < 0.6:
        return f"[{text}]({quote(path)})"
    return f"[{text}](<{path}>)"


def mention(rng: random.Random, person: Person) -> str:
    """How a daily note names a person: mostly `[[Name]]`, sometimes via an alias or a path."""
    roll = rng.random()
    if person.aliases and roll < 0.3:
        return wikilink(person.name, rng.choice(person.aliases))
    if roll > 0.93:
        return markdown_link(rng, person.name.split()[0], person.path)
    return wikilink(person.name)


def idea_link(rng: random.Random, idea: Idea, vocab: Vocabulary) -> str:
    roll = rng.random()
    if roll < 0.6:
        return wikilink(idea.title)
    if roll < 0.75:
        return wikilink(idea.title, short_phrase(rng, vocab).lower())
    if roll < 0.83:
        return wikilink(f"{idea.title}#Summary")
    if roll < 0.88:
        return wikilink(f"{idea.title}#^{idea.block_id}")
    return markdown_link(rng, short_phrase(rng, vocab).lower(), idea.path)


def tasks(rng: random.Random, vocab: Vocabulary, count: int) -> list[str]:
    return [
        f"- [{'x' if rng.random() < 0.45 else ' '}] {short_phrase(rng, vocab)}"
        for _ in range(count)
    ]


def render_daily(rng: random.Random, vocab: Vocabulary, day: date, plan: Plan) -> str:
    meta = []
    if rng.random() < 0.3:
        meta = ["tags:", "  - daily", f"mood: {rng.choice(MOODS)}"]
    parts = [frontmatter(meta)]
    if rng.random() < 0.5:
        parts.append(f"# {day.strftime('%A')}, {day.day} {day.strftime('%B %Y')}\n\n")
    log = [
        f"- {wikilink(plan.meetings[i].title)}: {short_phrase(rng, vocab).lower()}"
        for i in plan.meetings_by_day.get(day, [])
    ]
    count = rng.choices(MENTION_COUNTS, weights=MENTION_WEIGHTS)[0]
    for person in plan.pick_people(rng, count):
        who = rng.choice(MENTION_TEMPLATES).format(mention(rng, person))
        log.append(f"- {who}: {sentence(rng, vocab, rng.randint(4, 14)).lower()}")
    log += [f"- {sentence(rng, vocab, rng.randint(4, 14))}" for _ in range(amount(rng, 3))]
    parts.append("## Log\n" + "\n".join(log) + "\n\n")
    for _ in range(amount(rng, 5)):
        parts.append(paragraph(rng, vocab, amount(rng, 3)) + daily_extra(rng, vocab, plan) + "\n\n")
    if rng.random() < 0.6:
        parts.append("## Tasks\n" + "\n".join(tasks(rng, vocab, amount(rng, 3))) + "\n")
    return "".join(parts)


def daily_extra(rng: random.Random, vocab: Vocabulary, plan: Plan) -> str:
    """Now and then a tag, a link to an idea, or a web link at the end of a paragraph."""
    roll = rng.random()
    if roll < 0.15:
        return f" #mood/{rng.choice(MOODS)}"
    if roll < 0.25:
        return " See " + idea_link(rng, rng.choice(plan.ideas), vocab) + "."
    if roll < 0.3:
        return f" [Read later](https://example.com/{rng.randrange(10**6)})"
    if roll < 0.35:
        return " #journal"
    return ""


def render_person(rng: random.Random, vocab: Vocabulary, person: Person, plan: Plan) -> str:
    meta = ["tags:", "  - person"]
    if person.folder == "People/Work":
        meta.append("  - work")
    elif rng.random() < 0.4:
        meta.append(f"  - {rng.choice(('friend', 'family', 'community'))}")
    if person.aliases:
        meta += ["aliases:"] + [f"  - {alias}" for alias in person.aliases]
    if rng.random() < 0.6:
        meta.append(f"cadence: {rng.choice(CADENCES)}")
    if person.company:
        meta.append(f'company: "[[{person.company}]]"')
    if rng.random() < 0.5:
        born = date(rng.randint(1950, 2005), rng.randint(1, 12), rng.randint(1, 28))
        meta.append(f"birthday: {born.isoformat()}")
    first, *rest = person.name.split()
    lines = [f"# {person.name}", ""]
    if rng.random() < 0.5:
        lines.append(f"- Email: {first.lower()}.{rest[-1].lower()}@example.com")
    if rng.random() < 0.3:
        lines.append(f"- Met through {mention(rng, plan.pick_person(rng))}")
    if lines[-1]:
        lines.append("")
    lines.append("## About")
    lines += [paragraph(rng, vocab, amount(rng, 4)) + "\n" for _ in range(amount(rng, 2.5))]
    lines.append("## Notes")
    for _ in range(amount(rng, 8)):
        when = rng.choice(plan.days).isoformat()
        note = sentence(rng, vocab, rng.randint(5, 16))
        if rng.random() < 0.2:
            note += " " + idea_link(rng, rng.choice(plan.ideas), vocab)
        lines.append(f"- {when}: {note}")
    return frontmatter(meta) + "\n".join(lines) + "\n"


def render_org(rng: random.Random, vocab: Vocabulary, org: Org, plan: Plan) -> str:
    lines = [f"# {org.name}", "", paragraph(rng, vocab, amount(rng, 3)), ""]
    if plan.ideas and rng.random() < 0.5:
        lines.append("Related: " + wikilink(rng.choice(plan.ideas).title))
    return frontmatter(["tags:", "  - org"]) + "\n".join(lines) + "\n"


def render_meeting(rng: random.Random, vocab: Vocabulary, meeting: Meeting, plan: Plan) -> str:
    names = [plan.people[i].name for i in meeting.attendees]
    if rng.random() < 0.8:
        attendees = ["attendees: [" + ", ".join(f'"[[{n}]]"' for n in names) + "]"]
    else:
        attendees = ["attendees:"] + [f'  - "[[{n}]]"' for n in names]
    meta = [f"date: {meeting.day.isoformat()}", *attendees, "tags:", "  - meeting"]
    topic = plan.topics[rng.randrange(len(plan.topics))]
    lines = [f"# {meeting.title}", "", "## Agenda"]
    lines += [f"- {short_phrase(rng, vocab, topic.keywords)}" for _ in range(rng.randint(2, 4))]
    lines += ["", "## Notes"]
    for _ in range(amount(rng, 7)):
        text = paragraph(rng, vocab, amount(rng, 3), topic.keywords)
        if rng.random() < 0.3:
            text += " " + idea_link(rng, rng.choice(plan.ideas), vocab)
        lines += [text, ""]
    lines.append("## Action items")
    for _ in range(rng.randint(1, 4)):
        owner = wikilink(rng.choice(names))
        lines.append(f"- [ ] {owner} to {short_phrase(rng, vocab).lower()}")
    return frontmatter(meta) + "\n".join(lines) + "\n"


def related_idea(rng: random.Random, idea: Idea, plan: Plan) -> Idea:
    """Mostly an idea from the same topic: that is what makes the clusters."""
    members = plan.topic_members[idea.topic]
    if len(members) > 1 and rng.random() < 0.8:
        return plan.ideas[rng.choice(members)]
    return rng.choice(plan.ideas)


def idea_links(rng: random.Random, vocab: Vocabulary, idea: Idea, plan: Plan) -> list[str]:
    links = [idea_link(rng, related_idea(rng, idea, plan), vocab) for _ in range(amount(rng, 4))]
    if rng.random() < 0.3:
        links.append(wikilink(plan.pick_person(rng).name))
    if rng.random() < 0.1 and plan.missing:
        links.append(wikilink(rng.choice(plan.missing)))
    return links


def render_idea(rng: random.Random, vocab: Vocabulary, idea: Idea, plan: Plan) -> str:
    topic = plan.topics[idea.topic]
    words = topic.keywords
    meta = []
    if rng.random() < 0.7:
        meta = ["tags:", f"  - {topic.tag}", f"  - {rng.choice(('idea', 'seedling', 'evergreen'))}"]
    if rng.random() < 0.1:
        meta += ["aliases:", f"  - {short_phrase(rng, vocab, words)}"]
    if rng.random() < 0.5:
        meta.append(f"created: {rng.choice(plan.days).isoformat()}")
    links = idea_links(rng, vocab, idea, plan)
    summary = paragraph(rng, vocab, rng.randint(2, 5), words)
    parts = [f"# {idea.title}", "", "## Summary", f"{summary} ^{idea.block_id}", ""]
    if rng.random() < 0.5:
        parts += [f"#{topic.tag}", ""]
    parts += ["## Details"]
    for _ in range(amount(rng, 7.5)):
        text = paragraph(rng, vocab, amount(rng, 5), words)
        if links:
            text += " " + links.pop()
        parts += [text, ""]
        if rng.random() < 0.2:
            parts += [f"### {short_phrase(rng, vocab, words)}", ""]
    parts += idea_extras(rng, vocab, idea, plan)
    if links:
        parts += ["## Related", *[f"- {link}" for link in links], ""]
    return frontmatter(meta) + "\n".join(parts)


def idea_extras(rng: random.Random, vocab: Vocabulary, idea: Idea, plan: Plan) -> list[str]:
    """The syntax that trips parsers: code, tables with escaped pipes, comments, embeds."""
    words = plan.topics[idea.topic].keywords
    extras: list[str] = []
    if rng.random() < 0.25:
        extras += code_block(rng, vocab, words)
    if rng.random() < 0.15:
        extras += link_table(rng, vocab, idea, plan)
    if rng.random() < 0.2:
        hidden = wikilink(related_idea(rng, idea, plan).title)
        extras += [f"%% {short_phrase(rng, vocab)} {hidden} %%", ""]
    if rng.random() < 0.05:
        extras += [f"![[{related_idea(rng, idea, plan).title}#Summary]]", ""]
    if rng.random() < 0.3:
        extras += ["## Open questions", *tasks(rng, vocab, rng.randint(1, 3)), ""]
    return extras


def code_block(rng: random.Random, vocab: Vocabulary, words: Vocabulary) -> list[str]:
    name = words.sample(rng, 1)[0]
    body = [
        f"def {name}(items):",
        f"    # {short_phrase(rng, vocab)} #not-a-tag",
        "    return [[item] for item in items]",
    ]
    return [f"```{rng.choice(CODE_LANGUAGES)}", *body, "```", ""]


def link_table(rng: random.Random, vocab: Vocabulary, idea: Idea, plan: Plan) -> list[str]:
    rows = ["| Concept | Note |", "| --- | --- |"]
    for _ in range(rng.randint(2, 5)):
        other = related_idea(rng, idea, plan)
        shown = short_phrase(rng, vocab).lower()
        rows.append(f"| {short_phrase(rng, vocab)} | {wikilink(other.title, shown, True)} |")
    return [*rows, ""]
