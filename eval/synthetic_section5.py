"""Substantive judgement on generated section-五 texts: a balanced mix of the three verdicts.

    python eval/synthetic_section5.py [--n 300]

Texts are assembled from statements written here, each labelled by taxonomy.md's table
(specific: a named column, titled document, number or deadline, data category, named owner,
stated cause; boilerplate: generic channels, forms, sub-units, slogans). A third of the texts
have a specific problem and a specific measure on its theme (substantive), a third specific
content on one side only (partial), a third none (boilerplate).
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from extractor.review._offline import review_text  # noqa: E402

SPECIFIC_PROBLEMS = [
    "“财政预决算”专栏{y}年第三季度起未再更新", "三公经费信息公开比规定时限晚了2个月", "由于人员调整，“政策问答”栏目停更近半年",
    "全年有3件依申请公开答复超过法定期限", "《{org}政务公开工作实施方案》未按计划修订", "双随机抽查结果未在20个工作日内公开",
]
SPECIFIC_MEASURES = [
    "在{n}年3月底前完成“财政预决算”专栏历史信息补录，由办公室负责", "明确法规股负责三公经费信息的统一发布，每次在5个工作日内公开",
    "修订《{org}政务公开工作实施方案》，于{n}年6月前印发", "对超期答复的3件申请逐件复盘，建立答复时限台账",
    "每季度在“政策问答”栏目发布至少2期解读", "将双随机抽查结果在20个工作日内通过门户网站公开",
]
GENERIC_PROBLEMS = [
    "公开内容不够丰富，广度和深度还不够", "部分工作人员业务能力有待提高", "政策解读形式较为单一", "主动公开意识还需进一步增强",
    "部分栏目更新不够及时", "政务新媒体运维管理还需加强",
]
GENERIC_MEASURES = [
    "进一步提高思想认识，加强业务培训", "进一步丰富政策解读形式，多采用图解、视频等方式", "加强政府网站和政务新媒体管理",
    "坚持“以公开为常态、不公开为例外”，不断提高工作水平", "完善工作机制，强化监督考核", "拓宽公开渠道，丰富公开内容",
]


def make(rnd: random.Random, label: str) -> str:
    org, y = rnd.choice(["青山县", "临江市", "北岸区"]), rnd.choice([2021, 2022, 2023])
    probs = rnd.sample(GENERIC_PROBLEMS, 2)
    meas = rnd.sample(GENERIC_MEASURES, 2)
    if label == "substantive":
        i = rnd.randrange(len(SPECIFIC_PROBLEMS))
        probs.append(SPECIFIC_PROBLEMS[i])
        meas.append(SPECIFIC_MEASURES[i])
    elif label == "partial":
        (meas if rnd.random() < 0.5 else probs).append(
            rnd.choice(SPECIFIC_MEASURES if rnd.random() < 0.5 else SPECIFIC_PROBLEMS))
        label = "partial"
    rnd.shuffle(probs)
    rnd.shuffle(meas)
    nums = "一二三四"
    p = "；".join(f"{nums[i]}是{s}" for i, s in enumerate(probs))
    m = "。".join(f"{nums[i]}是{s}" for i, s in enumerate(meas))
    return (f"（一）存在的主要问题\n{p}。\n（二）改进情况\n{m}。").format(y=y, n=y + 1, org=org)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=300)
    args = ap.parse_args()
    rnd = random.Random(7)
    confusion: Counter = Counter()
    for i in range(args.n):
        label = ("substantive", "partial", "boilerplate")[i % 3]
        text = make(rnd, label)
        # a partial text whose one specific statement is a problem with no specific measure, or a measure
        confusion[(label, review_text(text).substantive)] += 1
    right = sum(n for (g, p), n in confusion.items() if g == p)
    print(f"substantive accuracy {right / args.n:.3f} on {args.n} generated texts")
    for (g, p), n in sorted(confusion.items()):
        print(f"  gold {g:<12} predicted {p:<12} {n}")


if __name__ == "__main__":
    main()
