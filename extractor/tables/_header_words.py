"""A table's header words from the template registry, for the tokenizer (document.HeaderWords):
the label column's header (table 二's 信息内容) and the value columns' labels, in match_key form,
with and without a bracketed unit note (`本年收费金额（单位：万元）`). They let the tokenizer tell a
converter's header cell that holds two columns (`信息内容<br>本年新制作数量`) from a label wrapped
in its cell (`本年新<br>制作数量`)."""

from __future__ import annotations

from extractor.document import HeaderWords, match_key
from extractor.tables._headers import leaf_key
from extractor.tables._memo import per_object
from extractor.tables._template import LABEL_HEADERS, RowSpec

__all__ = ["header_words"]


@per_object(maxsize=64)
def header_words(specs: tuple[RowSpec, ...]) -> HeaderWords:
    """The header words of the table whose rows are `specs`."""
    if not specs:
        return HeaderWords()
    table = specs[0].key.partition(".")[0]
    label = LABEL_HEADERS.get(table)
    values = {form for spec in specs for c in spec.columns if c.label
              for form in (match_key(c.label.split("·")[-1]), leaf_key(c.label.split("·")[-1]))}
    return HeaderWords(frozenset({match_key(label)} if label else ()), frozenset(values))
