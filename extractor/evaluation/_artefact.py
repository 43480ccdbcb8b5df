"""The comparison artefact of an eval run: `comparison.json` (codes, for programs) and
`comparison.html` (Chinese, for people; one self-contained file: inline style, no script, no
external resource). jinja2 with autoescape: no text of a report or a model can become markup."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Environment

from extractor.document import HALVES

if TYPE_CHECKING:
    from extractor.evaluation._matrix import EvalSummary

__all__ = ["METRIC_NAMES", "render_html", "write_artefact"]

METRIC_NAMES = {
    "statement_f1": "陈述 F1",
    "statement_precision": "陈述精确率",
    "statement_recall": "陈述召回率",
    "kind_accuracy": "类型准确率",
    "problem_theme_micro_f1": "问题主题 F1",
    "improvement_theme_micro_f1": "改进措施主题 F1",
    "boilerplate_f1": "套话 F1",
    "substantive_accuracy": "实质判断准确率",
}
VERDICTS = {"substantive": "实质", "partial": "部分实质", "boilerplate": "套话", "absent": "未填写"}
KINDS = {h.kind: h.label for h in HALVES}  # section 五's halves (tables/outline.py)

_TEMPLATE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>提示词回归评测 {{ run_name }}</title>
<style>
body{font-family:"Noto Sans CJK SC","Noto Sans SC",sans-serif;margin:24px;color:#222;max-width:1280px}
table{border-collapse:collapse;margin:8px 0 20px}th,td{border:1px solid #bbb;padding:4px 8px;font-size:14px;vertical-align:top}
th{background:#eef2f7}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.ci{color:#666;font-size:12px}.bad{color:#b00020;font-weight:bold}.good{color:#0a7d2c}
.fail{background:#fde8e8;border:1px solid #b00020;padding:8px;margin:8px 0}
.ok{background:#e8f6ec;border:1px solid #0a7d2c;padding:8px;margin:8px 0}
del{background:#fde8e8}ins{background:#e3f5e6;text-decoration:none}details{margin:6px 0}summary{cursor:pointer}
</style></head><body>
<h1>提示词回归评测</h1>
<p>运行：{{ run_name }}；{{ cells|length }} 个单元（提示词 × 模型），每个单元 {{ items }} 条金标。</p>
{% if failed > max_failed %}
<div class="fail" id="failures">失败的评审：{{ failed }} 条，超过允许的 {{ max_failed }} 条——本次结果不可信，退出码非零，且不能作为基线。</div>
{% elif failed %}
<div class="fail" id="failures">失败的评审：{{ failed }} 条（允许 {{ max_failed }} 条）；有失败的运行不能作为基线。</div>
{% else %}
<div class="ok" id="failures">没有失败的评审。</div>
{% endif %}

<h2 id="matrix-title">指标矩阵（95% 自助法区间）</h2>
<table id="matrix">
<tr><th>提示词</th><th>模型</th><th>提示词哈希</th><th>失败</th>{% for m in metrics %}<th>{{ metric_names[m] }}</th>{% endfor %}</tr>
{% for c in cells %}
<tr><td>{{ c.prompt_version }}</td><td>{{ c.model }}</td><td><code>{{ c.prompt_sha[:12] }}</code></td>
<td class="num {{ 'bad' if c.failed else '' }}">{{ c.failed }}</td>
{% for m in metrics %}<td class="num">{{ "%.3f"|format(c.summary[m]) }}<br><span class="ci">[{{ "%.3f"|format(c.summary[m ~ '_ci95'][0]) }}, {{ "%.3f"|format(c.summary[m ~ '_ci95'][1]) }}]</span></td>{% endfor %}
</tr>
{% endfor %}
</table>

{% if comparisons %}
<h2>两两比较（后者减前者，95% 配对自助法区间）</h2>
<table id="comparisons">
<tr><th>A</th><th>B</th>{% for m in metrics %}<th>{{ metric_names[m] }}</th>{% endfor %}<th>有变化的条目</th></tr>
{% for p in comparisons %}
<tr><td>{{ p.a }}</td><td>{{ p.b }}</td>
{% for m in metrics %}{% set d = p.metrics[m] %}<td class="num {{ 'good' if d.delta_ci95[0] > 0 else ('bad' if d.delta_ci95[1] < 0 else '') }}">{{ "%+.3f"|format(d.delta) }}<br><span class="ci">[{{ "%+.3f"|format(d.delta_ci95[0]) }}, {{ "%+.3f"|format(d.delta_ci95[1]) }}]</span></td>{% endfor %}
<td class="num">{{ p.changed_items|length }}</td></tr>
{% endfor %}
</table>
{% endif %}

{% if baseline %}
<h2>与基线比较：{{ baseline.run }}</h2>
<table id="baseline">
<tr><th>单元</th>{% for m in metrics %}<th>{{ metric_names[m] }}</th>{% endfor %}</tr>
{% for p in baseline.comparisons %}
<tr><td>{{ p.b }}</td>{% for m in metrics %}{% set d = p.metrics[m] %}<td class="num">{{ "%+.3f"|format(d.delta) }}<br><span class="ci">[{{ "%+.3f"|format(d.delta_ci95[0]) }}, {{ "%+.3f"|format(d.delta_ci95[1]) }}]</span></td>{% endfor %}</tr>
{% endfor %}
</table>
{% endif %}

<h2 id="changes-title">逐条目变化（{{ changes|length }} 个条目在某两个单元之间不同）</h2>
{% for item in changes %}
<details class="item" id="item-{{ item.id }}"{% if loop.first %} open{% endif %}><summary>条目 {{ item.id }}：{{ item.pairs|length }} 组单元有差异</summary>
{% for p in item.pairs %}
<h4>{{ p.a }} → {{ p.b }}</h4>
<table class="diff">
<tr><th>变化</th><th>位置</th><th>陈述</th><th>标签</th></tr>
{% if p.verdict %}<tr><td>整体判断</td><td></td><td></td><td><del>{{ verdicts.get(p.verdict[0], p.verdict[0]) }}</del> → <ins>{{ verdicts.get(p.verdict[1], p.verdict[1]) }}</ins></td></tr>{% endif %}
{% if p.ok %}<tr><td>评审状态</td><td></td><td></td><td>{{ '成功' if p.ok[0] else '失败' }} → {{ '成功' if p.ok[1] else '失败' }}</td></tr>{% endif %}
{% for s in p.only_a %}<tr><td>仅在 A</td><td class="num">{{ s.start }}–{{ s.end }}</td><td><del>{{ s.text }}</del></td><td>{{ kinds.get(s.kind, s.kind) }}；{{ s.themes|join('、') }}；{{ '套话' if s.boilerplate else '具体' }}</td></tr>{% endfor %}
{% for s in p.only_b %}<tr><td>仅在 B</td><td class="num">{{ s.start }}–{{ s.end }}</td><td><ins>{{ s.text }}</ins></td><td>{{ kinds.get(s.kind, s.kind) }}；{{ s.themes|join('、') }}；{{ '套话' if s.boilerplate else '具体' }}</td></tr>{% endfor %}
{% for s in p.relabelled %}<tr><td>标签改变</td><td class="num">{{ s.start }}–{{ s.end }}</td><td>{{ s.text }}</td><td>{% for f, v in s.changes.items() %}{{ field_names[f] }}：<del>{{ show(v[0]) }}</del> → <ins>{{ show(v[1]) }}</ins>{% if not loop.last %}；{% endif %}{% endfor %}</td></tr>{% endfor %}
</table>
{% endfor %}
</details>
{% endfor %}
</body></html>
"""

_FIELDS = {"kind": "类型", "themes": "主题", "boilerplate": "套话"}


def _show(value) -> str:
    if isinstance(value, bool):
        return "套话" if value else "具体"
    if isinstance(value, list):
        return "、".join(value) or "—"
    return KINDS.get(value, str(value))


def render_html(summary: EvalSummary) -> str:
    from extractor.evaluation._section5 import HEADLINE  # the metrics the matrix compares (matrix.COMPARED)

    env = Environment(autoescape=True)
    template = env.from_string(_TEMPLATE)
    return template.render(
        run_name=summary.path.name if summary.path else "", cells=summary.cells,
        items=len(summary.cells[0].run.reviews) if summary.cells else 0, failed=summary.failed_reviews,
        max_failed=summary.max_failed, metrics=tuple(HEADLINE), metric_names=METRIC_NAMES, comparisons=summary.comparisons,
        baseline=summary.baseline, changes=summary.item_changes, verdicts=VERDICTS, kinds=KINDS,
        field_names=_FIELDS, show=_show)


def write_artefact(summary: EvalSummary, folder: Path) -> tuple[Path, Path]:
    """comparison.json and comparison.html in the run folder, each written whole (temp + rename)."""
    paths = folder / "comparison.json", folder / "comparison.html"
    texts = json.dumps(summary.as_dict(), ensure_ascii=False, indent=1), render_html(summary)
    for path, text in zip(paths, texts):
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    return paths
