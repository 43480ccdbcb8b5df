"""The offline backend on hand-labelled statements written for these tests."""

from __future__ import annotations

import pytest

from extractor.review._boilerplate import is_boilerplate
from extractor.review._offline import review_text, themes_of
from extractor.review._segment import split_statements


def spans(text):
    return [(s.kind, text[s.start:s.end]) for s in split_statements(text)]


def test_layout_a_labelled_halves():
    text = ("（一）存在的主要问题\n一是“财政资金”专栏更新不及时；二是政策解读形式单一。\n"
            "（二）改进措施\n一是每季度更新“财政资金”专栏。二是加强业务培训，提高工作水平。")
    assert spans(text) == [
        ("problem", "“财政资金”专栏更新不及时"), ("problem", "政策解读形式单一"),
        ("improvement", "每季度更新“财政资金”专栏"), ("improvement", "加强业务培训，提高工作水平"),
    ]


def test_layout_b_numbered_halves_split_across_lines():
    text = "1、存在的问题:一是公开意识不强;二是公开形式有待拓展。\n     2\n、改进的措施:一是加强培训;二是增加公开栏。"
    assert spans(text) == [("problem", "公开意识不强"), ("problem", "公开形式有待拓展"),
                           ("improvement", "加强培训"), ("improvement", "增加公开栏")]


def test_layout_c_opener_list_and_bridge():
    text = ("2023年，我局政务公开工作虽然取得了一定成效，但与上级要求还存在一些差距，如认识程度有待提高，公开内容需进一步拓展等。"
            "针对上述问题，我局将采取以下措施：（一）提高认识。召开专题会议。（二）拓展内容。新增“项目建设”栏目。")
    assert spans(text) == [
        ("problem", "认识程度有待提高"), ("problem", "公开内容需进一步拓展"),
        ("improvement", "提高认识。召开专题会议"), ("improvement", "拓展内容。新增“项目建设”栏目"),
    ]


def test_layout_d_one_short_paragraph():
    text = "我局信息公开工作存在更新不及时的问题。下一步，我局将落实专人每周更新网站信息。"
    assert spans(text) == [("problem", "更新不及时"),
                           ("improvement", "我局将落实专人每周更新网站信息")]


def test_interleaved_without_a_bridge_typed_by_cue_words():
    text = "网站栏目设置不合理。加强栏目管理，优化设置。公众参与渠道较少。开展政府开放日活动。"
    assert [k for k, _ in spans(text)] == ["problem", "improvement", "problem", "improvement"]


@pytest.mark.parametrize("text,expected", [
    ("公开意识有待进一步提高", True),
    ("信息公开的广度和深度还不够", True),
    ("进一步提高思想认识，加强业务培训", True),
    ("年度预结算和三公经费公开不及时", False),  # names a data category
    ("在2024年3月底前完成栏目补录", False),  # a deadline
    ("受人员编制限制，信息员多为兼职", False),  # a cause
    ("坚持“以公开为常态、不公开为例外”原则，不断提升整体工作水平", True),  # a slogan is not a named object
])
def test_boilerplate(text, expected):
    assert is_boilerplate(text)[0] is expected


@pytest.mark.parametrize("text,themes", [
    ("政策解读形式单一", ["interpretation"]),
    ("依申请公开答复不规范", ["applications"]),
    ("工作人员业务能力不足", ["capacity"]),
    ("网站栏目更新不及时", ["timeliness", "channels"]),
    ("其他事项", ["other"]),
])
def test_themes(text, themes):
    assert themes_of(text) == themes


def test_substantive_judgement():
    specific = ("（一）存在的主要问题\n一是“财政资金”专栏更新不及时。\n（二）改进措施\n一是每月5日前更新“财政资金”专栏。")
    assert review_text(specific).substantive == "substantive"
    generic = "（一）存在的主要问题\n一是公开意识不强。\n（二）改进措施\n一是进一步提高思想认识。"
    assert review_text(generic).substantive == "boilerplate"
    mixed = "（一）存在的主要问题\n一是公开意识不强。\n（二）改进措施\n一是每月5日前更新“财政资金”专栏。"
    assert review_text(mixed).substantive == "partial"
    assert review_text("无。").substantive == "absent"
    missing = review_text(None)
    assert missing.substantive == "absent" and missing.section_found is False


def test_statements_are_verbatim_spans():
    text = "一是⼯作⼈员业务不熟；二是栏目更新滞后。下一步，我局将加强培训。"  # Kangxi radicals in the source
    review = review_text(text)
    for s in review.statements:
        assert text[s.start:s.end] == s.text
    assert review.statements[0].themes == ["capacity"]
