"""The squeezed text (document/_squeezed.py) maps each kept character back to its offset exactly."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from extractor.document._squeezed import Squeezed


@given(st.lists(st.sampled_from(["a", "中", " ", "\n", "\t", "\u3000", "  \n", "一、"]), max_size=300),
       st.sampled_from(["", "\u2028", "\x0b", "\xa0"]))
def test_origin_is_the_offset_of_each_kept_character(pieces, rare):
    text = "".join(pieces)
    text = text[:len(text) // 2] + rare + text[len(text) // 2:]  # a rarer white space: lines split into words
    sq = Squeezed(text)
    kept = [i for i, ch in enumerate(text) if not ch.isspace()]
    assert sq.text == "".join(text[i] for i in kept)
    assert [sq.origin(i) for i in range(len(kept))] == kept


@given(st.lists(st.sampled_from(["a", "中", " ", "\n", "\t", "\u3000", "  \n", "|", "0"]), max_size=200),
       st.sampled_from(["", "\u2028", "\xa0"]), st.lists(st.integers(0, 400), max_size=12))
def test_origin_of_characters_looked_up_in_any_order_is_their_offset(pieces, rare, lookups):
    """Lookups counted forward from the last one (Squeezed._forward): skipping characters, going
    back, asking one twice, each gives the character's offset."""
    text = "".join(pieces) + rare + "".join(reversed(pieces))
    sq = Squeezed(text)
    kept = [i for i, ch in enumerate(text) if not ch.isspace()]
    for i in (n for n in lookups if n < len(kept)):
        assert sq.origin(i) == kept[i]
