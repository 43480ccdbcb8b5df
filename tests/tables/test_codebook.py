"""The codebook is the registry's: every key of both versions, with the counts schema.md states."""

from __future__ import annotations

import csv
import io
import subprocess
import sys

from extractor.tables._codebook import codebook_rows


def test_codebook_has_schema_counts_per_version():
    rows = codebook_rows()
    by_version = {v: [r for r in rows if v in r["versions"].split()] for v in ("2019", "2021")}
    # schema.md: table 二 22 / 10 keys, table 三 161 / 175, table 四 15 in both
    for version, (t2, t3) in {"2019": (22, 161), "2021": (10, 175)}.items():
        tables = [r["table"] for r in by_version[version]]
        assert (tables.count("表二"), tables.count("表三"), tables.count("表四")) == (t2, t3, 15)
    assert len({r["header"] for r in rows}) == len(rows)  # headers name one field each
    secret = next(r for r in rows if r["key"] == "applications.results.withheld.state_secret.natural_person")
    assert secret["header"] == "表三·（三）不予公开·1.属于国家秘密·自然人"
    fee = next(r for r in rows if r["key"] == "active_disclosure.fees.amount_wan_yuan")
    assert fee["unit"] == "wan_yuan" and fee["versions"] == "2021"


def test_codebook_command_prints_csv_and_markdown():
    out = subprocess.run([sys.executable, "-m", "extractor", "codebook"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0
    parsed = list(csv.DictReader(io.StringIO(out.stdout)))
    assert [r["key"] for r in parsed] == [r["key"] for r in codebook_rows()]
    md = subprocess.run([sys.executable, "-m", "extractor", "codebook", "--format", "md"], capture_output=True,
                        text=True, timeout=60)
    assert md.stdout.startswith("| key | header |") and md.stdout.count("\n") == len(parsed) + 2
    bad = subprocess.run([sys.executable, "-m", "extractor", "codebook", "--format", "xml"], capture_output=True,
                         text=True, timeout=60)
    assert bad.returncode == 2 and "csv 或 md" in bad.stderr
