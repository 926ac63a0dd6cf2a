"""A note's words (`vaultnet.vault.terms`): ASCII text is cut by a shorter pattern, into the same
words as the full one (letters, digits and combining marks of every script)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from vaultnet.vault.terms import word_pattern, words

ascii_text = st.text(alphabet=st.characters(codec="ascii"))
mixed = st.text(alphabet=st.sampled_from("ab_9 -é\u0301\u093f\u0915ß\u00a0\t.Z"))


@given(ascii_text | mixed | st.text())
def test_words_are_the_word_patterns_words(text: str) -> None:
    assert words(text) == word_pattern().findall(text)
    assert words(text.casefold()) == word_pattern().findall(text.casefold())
