"""clean_text repairs characters by str.replace and a radicals-only translate: it must equal the
one-table translate it replaced, on any mix of the characters it repairs."""

from hypothesis import given
from hypothesis import strategies as st

from extractor.document._normalize import _TRANSLATE, clean_text

_REPAIRED = sorted(chr(k) for k in _TRANSLATE)


@given(st.lists(st.sampled_from(_REPAIRED + list("ab 中文规章\n\r")), max_size=60).map("".join))
def test_clean_text_is_the_one_table_translate(text):
    assert clean_text(text) == text.replace("\r\n", "\n").translate(_TRANSLATE)


def test_clean_text_repairs_radicals_spaces_and_zero_widths():
    assert clean_text("⾏政\u00a0复议\u200b⻓\r\n") == "行政 复议长\n"
