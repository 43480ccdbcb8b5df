"""taxonomy.md's table of what does and does not make a statement specific, row by row."""

from __future__ import annotations

import pytest

from extractor.review._boilerplate import judge_statement

GENERIC = [
    "进一步加强对《条例》的学习，严格按照上级文件和省、市工作要点开展工作",  # the 《条例》, 上级文件
    "部分栏目更新不及时，政府网站和微信公众号维护有待加强",  # generic channels
    "政务新媒体运维管理还需加强",
    "进一步丰富政策解读形式，多采取图解、视频、动画、H5等方式",  # generic forms
    "各科室、各股室信息员报送信息积极性不高，分管领导重视不够",  # sub-units and roles
    "卫生健康信息公开不够全面，医院服务相关信息发布较少",  # the domain word alone
    "坚持“以公开为常态、不公开为例外”，落实“谁公开谁审核、谁发布谁负责”和“三审三校”制度",  # slogans
    "个别栏目更新滞后，部分文章出现文字错误",  # an incident in generic terms
    "依申请公开件办理的规范性有待提高",
]
SPECIFIC = [
    ("制定《青山县政务公开工作实施方案》，细化公开事项", "titled document"),
    ("在“政策问答”专栏集中发布惠企政策解读", "named column or platform"),
    ("依托12345热线收集群众意见", "named column or platform"),
    ("三公经费和财政预决算信息公开不及时", "data category"),
    ("全年组织2次业务培训，覆盖9家单位", "number, date or deadline"),
    ("在5个工作日内完成信息审核", "number, date or deadline"),
    ("明确法规股负责规范性文件的统一发布", "named owner"),
    ("由于人员调整，信息更新出现断档", "stated cause"),
    ("一件申请超期答复", "number, date or deadline"),
    ("公开了含身份证号的文件，已撤回", "data category"),
]


@pytest.mark.parametrize("text", GENERIC)
def test_generic_statements_are_boilerplate(text):
    verdict = judge_statement(text)
    assert verdict.boilerplate, verdict.evidence


@pytest.mark.parametrize("text,signal", SPECIFIC)
def test_named_objects_make_a_statement_specific_and_say_which(text, signal):
    verdict = judge_statement(text)
    assert not verdict.boilerplate, verdict.evidence
    assert signal in verdict.evidence


def test_intensifiers_on_a_generic_object_stay_boilerplate():
    assert judge_statement("进一步丰富政策解读形式，多采取视频、图片等方式").boilerplate


def test_copied_wording_is_boilerplate_whatever_it_names():
    from extractor.review import _phrases as phrases

    # Wording two or more development bodies print (the shipped phrase library), around a named column.
    text = "拓宽公开载体和渠道，扩大政务公开的范围和内容，依托“政策问答”专栏发布"
    assert phrases.corpus_coverage(text) >= 0.6
    verdict = judge_statement(text)
    assert verdict.boilerplate and "recurs in other bodies' reports" in verdict.evidence
    # the same named column in the body's own words stays specific
    assert not judge_statement("依托“政策问答”专栏集中发布惠企政策解读").boilerplate


def test_coverage_counts_the_characters_inside_known_runs():
    from extractor.review._phrases import SHINGLE, coverage, normalise

    known = {normalise("甲乙丙丁戊己庚辛壬癸")[:SHINGLE]}
    assert coverage("甲乙丙丁戊己庚辛壬癸子丑", known) == SHINGLE / 12
    assert coverage("子丑寅卯辰巳午未申酉", known) == 0.0
