"""Words for the synthetic vault: a Zipf-distributed vocabulary and the sentences made from it.

English function words take the top ranks, then common content words mixed with a few thousand
generated pseudo-words, so that word lengths, frequencies and the long tail look like real notes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from itertools import accumulate

_FUNCTION_WORDS = (
    "the of and to a in is that it for was on are as with be at this have from or by not but "
    "what all were we when your can said there use an each which she do how their if will up "
    "other about out many then them these so some her would make like him into time has look "
    "two more write go see number no way could people my than first been call who its now find "
    "long down day did get come made may part i you he they just also should still very much "
    "because here after before over"
)
FUNCTION_WORDS = tuple(_FUNCTION_WORDS.split())

_CONTENT_WORDS = (
    "idea note project work system design plan book music garden travel family friend health "
    "money team product market research data model theory history language writing reading "
    "habit memory learning question answer problem solution process method feature user story "
    "value change growth focus energy practice review goal meeting coffee lunch dinner weekend "
    "week month year morning evening city home office trip walk run sleep food recipe code test "
    "bug release version paper article draft chapter quote source reference example pattern "
    "structure network graph link connection context decision budget client customer launch "
    "deadline feedback draft outline sketch summary insight lesson mistake experiment result "
    "metric trend signal noise risk tradeoff priority backlog roadmap strategy vision mission "
    "culture hiring interview onboarding mentor career skill tool workflow template vault "
    "folder archive inbox journal reflection gratitude mood weather rain sun park river beach "
    "mountain train flight hotel museum concert movie podcast album song guitar piano painting "
    "photo camera bike car kitchen dog cat kids school class course lecture exam thesis "
    "conference talk slide demo prototype server database query cache index latency schema "
    "api library framework python rust script bugfix refactor deploy pipeline"
)
CONTENT_WORDS = tuple(_CONTENT_WORDS.split())

NAME_ONSETS = (
    "b",
    "c",
    "d",
    "f",
    "g",
    "k",
    "l",
    "m",
    "n",
    "p",
    "r",
    "s",
    "t",
    "v",
    "z",
    "br",
    "ch",
    "dr",
    "gl",
    "kr",
    "pl",
    "sh",
    "st",
    "th",
    "tr",
)
NAME_VOWELS = ("a", "e", "i", "o", "u", "a", "e", "o", "ai", "ea", "ou")
NAME_CODAS = ("", "", "", "n", "r", "l", "s", "m", "nd", "st", "x")
PSEUDO_WORDS = 3600


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """Words in rank order with cumulative Zipf weights, ready for `random.choices`."""

    words: tuple[str, ...]
    cum_weights: tuple[float, ...]

    def sample(self, rng: random.Random, k: int) -> list[str]:
        return rng.choices(self.words, cum_weights=self.cum_weights, k=k)


def zipf_cum_weights(n: int, exponent: float = 1.0, offset: float = 2.7) -> tuple[float, ...]:
    """Zipf-Mandelbrot weights 1/(rank+offset)^exponent, accumulated."""
    return tuple(accumulate(1.0 / (rank + offset) ** exponent for rank in range(n)))


def pseudo_word(rng: random.Random, min_syllables: int = 1, max_syllables: int = 3) -> str:
    syllables = rng.randint(min_syllables, max_syllables)
    parts = [rng.choice(NAME_ONSETS) + rng.choice(NAME_VOWELS) for _ in range(syllables)]
    return "".join(parts) + rng.choice(NAME_CODAS)


def unique_pseudo_words(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    """`count` distinct pseudo-words not in `taken` (which is updated), in generation order."""
    words: list[str] = []
    while len(words) < count:
        word = pseudo_word(rng)
        if len(word) > 2 and word not in taken:
            taken.add(word)
            words.append(word)
    return words


def build_vocabulary(rng: random.Random) -> tuple[Vocabulary, list[str]]:
    """The ranked vocabulary, and its pseudo-words (topics draw their keywords from those)."""
    taken = set(FUNCTION_WORDS) | set(CONTENT_WORDS)
    pseudo = unique_pseudo_words(rng, PSEUDO_WORDS, taken)
    # Content words and the commonest pseudo-words share the middle ranks; the rest is the tail.
    middle = list(dict.fromkeys(CONTENT_WORDS)) + pseudo[:400]
    rng.shuffle(middle)
    ranked = tuple(dict.fromkeys(FUNCTION_WORDS)) + tuple(middle) + tuple(pseudo[400:])
    return Vocabulary(ranked, zipf_cum_weights(len(ranked))), pseudo


def sentence(
    rng: random.Random, vocab: Vocabulary, words: int, topic: Vocabulary | None = None
) -> str:
    """One sentence of `words` words; with a topic, about one word in eight comes from it."""
    chosen = vocab.sample(rng, words)
    if topic is not None:
        for _ in range(max(1, words // 8)):
            chosen[rng.randrange(words)] = topic.sample(rng, 1)[0]
    if words > 9 and rng.random() < 0.4:
        cut = rng.randrange(3, words - 3)
        chosen[cut] += ","
    text = " ".join(chosen)
    return text[0].upper() + text[1:] + rng.choice(".....?!")


def paragraph(
    rng: random.Random, vocab: Vocabulary, sentences: int, topic: Vocabulary | None = None
) -> str:
    return " ".join(sentence(rng, vocab, rng.randint(5, 18), topic) for _ in range(sentences))


def short_phrase(rng: random.Random, vocab: Vocabulary, topic: Vocabulary | None = None) -> str:
    """A few words without final punctuation: a task, a heading, a table cell."""
    return sentence(rng, vocab, rng.randint(2, 6), topic)[:-1]
