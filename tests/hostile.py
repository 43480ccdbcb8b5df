"""A bad-input corpus, written by the tests themselves: small files that once hung the parser,
exhausted memory or escaped as tracebacks (issue 11). `write_hostile(folder)` writes them all
and returns {file name: what its result's error must contain, or None where a report is read}.
`write_hostile_20(folder)` adds issue 20's: values past the template's bounds, names that
display alike, a DOCX of 30 M empty runs, a PDF of 3 M text operators, unresolved entities,
hidden HTML, terminal escapes in a name, a symlink out of the folder.
"""

from __future__ import annotations

import io
import os
import zipfile
import zlib
from pathlib import Path

from samples.synth import ReportSpec, consistent_values, make_report

_DOCX_TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
               'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
               'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
               '"/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.'
               'document.main+xml"/></Types>')
_DOCX_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
              '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
              'relationships/officeDocument" Target="word/document.xml"/></Relationships>')
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def docx_bytes(body_xml: str, bomb_bytes: int = 0) -> bytes:
    """A minimal DOCX whose body is `body_xml`; with bomb_bytes, document.xml is padded with that
    many zero bytes (they deflate to almost nothing)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", _DOCX_TYPES)
        z.writestr("_rels/.rels", _DOCX_RELS)
        doc = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{_W}"><w:body>{body_xml}</w:body></w:document>'
        if not bomb_bytes:
            z.writestr("word/document.xml", doc)
        else:
            with z.open("word/document.xml", "w", force_zip64=True) as f:
                f.write(doc.encode())
                chunk = b" " * (1 << 24)
                for _ in range(bomb_bytes // len(chunk) + 1):
                    f.write(chunk)
    return buf.getvalue()


def pdf_bomb(expanded_mb: int) -> bytes:
    """A one-page PDF whose content stream inflates to expanded_mb of spaces (a few MB on disk)."""
    deflate = zlib.compressobj(1)
    parts = [deflate.compress(b"BT /F1 12 Tf 72 720 Td (x) Tj ET\n")]
    chunk = b" " * (1 << 24)
    parts += [deflate.compress(chunk) for _ in range(expanded_mb // 16)]
    parts.append(deflate.flush())
    return _one_page_pdf(b"".join(parts))


def pdf_text_operators(count: int) -> bytes:
    """A one-page PDF of ~80 kB whose content stream shows one character `count` times: PDFium
    builds a text object for each (3 M took 3 GB and 31 s)."""
    deflate = zlib.compressobj(9)
    parts = [deflate.compress(b"BT /F1 12 Tf 72 720 Td\n")]
    chunk = b"(x) Tj " * 100_000
    parts += [deflate.compress(chunk) for _ in range(count // 100_000)]
    parts += [deflate.compress(b"ET\n"), deflate.flush()]
    return _one_page_pdf(b"".join(parts))


def _one_page_pdf(stream: bytes) -> bytes:
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _para(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def _table(span: str) -> str:
    cell = f'<w:tc><w:tcPr><w:gridSpan w:val="{span}"/></w:tcPr>{_para("1")}</w:tc>'
    return f"<w:tbl><w:tr>{cell * 3}</w:tr><w:tr>{cell}</w:tr></w:tbl>"


def good_report(i: int = 0, layout: str = "pipe") -> str:
    return make_report(ReportSpec(f"样例{i}局", 2022, "2021", layout, consistent_values(i, "2021")))


def write_hostile(folder: Path) -> dict[str, str | None]:
    folder.mkdir(parents=True, exist_ok=True)
    expect: dict[str, str | None] = {}

    def put(name: str, data: bytes | str, error: str | None) -> None:
        (folder / name).write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        expect[name] = error

    report = good_report(1)
    heading = "四、政府信息公开行政复议、行政诉讼情况"
    # time: a 30-digit table 四 row; 3,000 blank indented lines; a 10,000-digit run; a wide grid
    put("glued_review_30.txt", report.split(heading)[0] + heading + "\n" + "1" * 30 + "\n五、存在的主要问题及改进情况\n无。\n",
        None)
    put("blank_indented.txt", report.replace("五、存在", "    \n" * 3000 + "五、存在"), None)
    put("digit_run.txt", report.replace("一、总体情况\n", "一、总体情况\n" + "7" * 10_000 + "\n"), None)
    row = "<tr>" + "<td>1</td>" * 60 + "</tr>"
    put("big_grid.html", f"<html><body><p>一、总体情况</p><table>{row * 700}</table></body></html>", None)
    # memory: spans of 100,000,000 in 93 bytes; a PDF stream bomb; a DOCX zip bomb; a huge gridSpan
    put("huge_span.html", '<table><tr><td colspan="100000000" rowspan="100000000">x</td></tr><tr><td>1</td></tr></table>',
        "no report found")
    put("zip_bomb.docx", docx_bytes(_para("一、总体情况"), bomb_bytes=210 << 20), "DOCX expands past 200 MB")
    put("stream_bomb.pdf", pdf_bomb(1024), "PDF stream expands past 100 MB")
    put("huge_gridspan.docx", docx_bytes(_para("一、总体情况") + _table("1000000000")), None)
    # escapes: broken DOCX packages
    put("gridspan_abc.docx", docx_bytes(_para("一、总体情况") + _table("abc")), None)
    whole = docx_bytes(_para("一、总体情况"))
    put("truncated.docx", whole[: len(whole) // 2], "unreadable DOCX")
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as z:
        z.writestr("[Content_Types].xml", _DOCX_TYPES)
        z.writestr("_rels/.rels", _DOCX_RELS)
        z.writestr("word/document.xml", f'<w:document xmlns:w="{_W}"><w:body><w:p>')
    put("malformed_xml.docx", broken.getvalue(), "unreadable DOCX")
    # encodings and nesting
    put("utf16_no_bom.txt", report.encode("utf-16-le"), None)
    put("utf32_bom.txt", report.encode("utf-32"), None)
    put("deep.html", "<html><body>" + "<div>" * 300 + "一、总体情况" + "</div>" * 300 + "</body></html>",
        "nested deeper than")
    return expect


def write_special(folder: Path) -> dict[str, str | None]:
    """A FIFO (reading it would block) and a name that is not UTF-8 (GBK, as zip archives from
    Chinese Windows write them): {name as the results show it: expected error}."""
    os.mkfifo(folder / "pipe.txt")
    gbk = "年度报告".encode("gbk") + b".txt"
    with open(os.path.join(os.fsencode(folder), gbk), "w", encoding="utf-8") as f:
        f.write(good_report(2))
    return {"pipe.txt": "a FIFO", "年度报告.txt〔字节 " + gbk.hex() + "〕": None}


OSC52 = "\x1b]52;c;SGVsbG8=\x07"  # write the clipboard, when printed raw on a terminal


def _with_values(i: int, changes: dict) -> str:
    values = consistent_values(i, "2021")
    values.update(changes)
    return make_report(ReportSpec(f"样例{i}局", 2022, "2021", "pipe", values))


def empty_runs_docx(runs: int = 30_000_000) -> bytes:
    """A DOCX of a few hundred kB whose paragraph holds `runs` empty runs: gigabytes as a tree."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _DOCX_TYPES)
        z.writestr("_rels/.rels", _DOCX_RELS)
        with z.open("word/document.xml", "w", force_zip64=True) as f:
            f.write(f'<?xml version="1.0"?><w:document xmlns:w="{_W}"><w:body>{_para("一、总体情况")}<w:p>'.encode())
            chunk = b"<w:r/>" * 1_000_000
            for _ in range(runs // 1_000_000):
                f.write(chunk)
            f.write(b"</w:p></w:body></w:document>")
    return buf.getvalue()


def entity_docx() -> bytes:
    """A DOCX whose text holds an entity it declares but python-docx does not resolve."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", _DOCX_TYPES)
        z.writestr("_rels/.rels", _DOCX_RELS)
        z.writestr("word/document.xml", '<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY e "x">'
                   '<!ENTITY ext SYSTEM "file:///etc/passwd">]>'
                   f'<w:document xmlns:w="{_W}"><w:body><w:p><w:r><w:t>一、总体情况 本年度 &e; 之后的文字</w:t></w:r>'
                   '</w:p></w:body></w:document>')
    return buf.getvalue()


def write_hostile_20(folder: Path) -> dict[bytes, str | None]:
    """Issue 20's hostile files: {raw name below `folder`: what its error must contain, or None
    where a report is read}. The symlink out of the folder is not in it: it gets no line, only a
    line on stderr (`SYMLINK_OUT`)."""
    folder.mkdir(parents=True, exist_ok=True)
    root = os.fsencode(folder)
    expect: dict[bytes, str | None] = {}

    def put(name: bytes | str, data: bytes | str, error: str | None) -> None:
        raw = name if isinstance(name, bytes) else name.encode("utf-8")
        with open(os.path.join(root, raw), "wb") as f:
            f.write(data.encode("utf-8") if isinstance(data, str) else data)
        expect[raw] = error

    count, amount = "applications.received_new.natural_person", "active_disclosure.fees.amount_wan_yuan"
    put("max_values.txt", _with_values(20, {count: 10**12, amount: 10**15}), None)
    put("past_2_64.txt", _with_values(21, {count: 2**64, amount: 2**64}), None)
    put("digits_4301.txt", _with_values(22, {count: 987_654}).replace("987654", "9" * 4301), None)
    for raw in ("报.txt".encode("gbk"), "报.txt".encode(), b"\xff.txt", b"\\xff.txt"):
        put(raw, good_report(23), None)
    put(f"evil{OSC52}\x1b[2J.txt", good_report(24).replace("一、总体情况", f"{OSC52}一、总体情况", 1), None)
    hidden = good_report(25, "html").replace("五、存在的主要问题及改进情况", '<div style="display:none">'
                                              "五、存在的主要问题及改进情况<p>隐藏文字</p></div>五、存在的主要问题及改进情况", 1)
    put("hidden.html", hidden, None)
    put("empty_runs.docx", empty_runs_docx(), "ran out of memory reading the DOCX")
    put("text_ops.pdf", pdf_text_operators(3_000_000), "text operators")
    put("entity.docx", entity_docx(), "unresolved XML entity")
    os.symlink("/etc/passwd", folder / SYMLINK_OUT)
    return expect


SYMLINK_OUT = "passwd.txt"
