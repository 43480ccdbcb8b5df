"""Word documents with the template's real merged cells, printed to PDF and saved as HTML by
LibreOffice headless, as offices publish them: every cell exact, no number wrong, the body named."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from extractor import parse_file
from samples.office import write_docx
from samples.synth import SECTION5, ReportSpec, consistent_values, expected_fields

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) not installed: "
                                "apt-get install libreoffice-writer-nogui fonts-noto-cjk")


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lo")
    specs = {}
    for i, version in enumerate(("2019", "2021", "2021")):
        spec = ReportSpec(f"北岸区第{i}局", 2020 if version == "2019" else 2022, version, "html",
                          consistent_values(i + 1, version), SECTION5[i % 2], blank_zeros=i == 2)
        specs[folder / f"r{i}.docx"] = spec
        write_docx(spec, folder / f"r{i}.docx")
    for fmt in ("pdf", "html"):
        subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation=file://{folder}/profile", "--convert-to", fmt,
                        "--outdir", str(folder), *map(str, specs)], capture_output=True, timeout=300, check=False)
    return specs


@pytest.mark.parametrize("fmt", ["docx", "pdf", "html"])
def test_libreoffice_reports_are_read_exactly(converted, fmt):
    for path, spec in converted.items():
        target = path.with_suffix(f".{fmt}")
        assert target.exists(), f"LibreOffice did not write {target.name}"
        result = parse_file(target)
        expected = expected_fields(spec)
        wrong = [k for k, v in expected.items() if result.fields.get(k) is not None and result.fields.get(k) != v]
        missed = [k for k, v in expected.items() if result.fields.get(k) != v]
        assert not wrong and not missed, (target.name, wrong[:3], missed[:3])
        assert result.org_name == spec.org
