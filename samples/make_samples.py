"""Write the bundled sample reports (samples/reports/). Run: python samples/make_samples.py"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from samples.synth import SECTION5, ReportSpec, consistent_values, make_report  # noqa: E402

OUT = Path(__file__).parent / "reports"
SAMPLES = [
    # (file name, spec, encoding)
    ("qingshan_water_2022.html", ReportSpec("青山县水利局", 2022, "2021", "html", consistent_values(1, "2021")), "utf-8"),
    ("linjiang_stats_2020_pipe.txt", ReportSpec("临江市统计局", 2020, "2019", "pipe", consistent_values(2, "2019"),
                                                SECTION5[1]), "utf-8-sig"),
    ("donghu_street_2021_cells_gbk.txt", ReportSpec("东湖街道办事处", 2021, "2021", "cells",
                                                    consistent_values(3, "2021"), SECTION5[1]), "gb18030"),
    ("nanping_town_2019.md", ReportSpec("南屏镇人民政府", 2019, "2019", "markdown", consistent_values(4, "2019")), "utf-8"),
]


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for name, spec, encoding in SAMPLES:
        (OUT / name).write_bytes(make_report(spec).encode(encoding))
        print(OUT / name)


if __name__ == "__main__":
    main()
