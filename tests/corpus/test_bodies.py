"""Bodies matched across years by normalised name, fuzzy match and aliases."""

from __future__ import annotations

from pathlib import Path

from extractor.corpus._bodies import BodyMatcher, body_key, load_aliases
from extractor.models import ParseResult
from extractor.tables import find_pairs


def test_names_normalised():
    assert body_key("淮安市洪泽区人民政府") == body_key("洪泽区人民政府") == body_key("洪泽区 政府")
    assert body_key("淮安市人民政府") == "淮安市政府"  # a city keeps its own name
    assert body_key("临江市统计局") != body_key("青山市统计局")  # a city's department keeps its city
    assert body_key("江苏省淮安市洪泽区人民政府（办公室）") == "洪泽区政府"
    assert body_key("平潭综合实验区财政金融局") != body_key("平潭综合实验区经济发展局")


def test_fuzzy_and_aliases(tmp_path: Path):
    m = BodyMatcher()
    assert m.key("平潭综合实验区经济发展局") == m.key("平潭综合实验区经济发展居")  # one character off
    assert m.key("东城区政府") != m.key("西城区政府")
    aliases = tmp_path / "aliases.csv"
    aliases.write_text("青山县水务局,青山县水利局\n", encoding="utf-8")
    m = BodyMatcher(load_aliases(aliases))
    assert m.key("青山县水务局") == m.key("青山县水利局")


def test_pairs_across_name_variants():
    reports = [ParseResult(source="a", org_name="洪泽区人民政府", year=2022),
               ParseResult(source="b", org_name="淮安市洪泽区人民政府", year=2023),
               ParseResult(source="c", org_name="淮安市人民政府", year=2023)]
    assert [(o.source, n.source) for o, n in find_pairs(reports)] == [("a", "b")]
