"""Fuzz the readers and the extractor with generated hostile inputs (issue 10), from a fixed seed so a
failure can be replayed: control characters, noncharacters and invalid bytes, huge cell spans, long
unpunctuated paragraphs, deep nesting (lists, tables in tables, XML), random bytes in .docx parts.

Each file is read and extracted in this process under the per-file limits (pipeline/limits.py): it
must finish within its time and memory, and fail, if at all, only with the reader's named error.
Then all of them go through `nhiemvu run` once, whose XLSX export must open in openpyxl.
"""
import io
import json
import os
import random
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = int(os.environ.get("NHIEMVU_FUZZ_SEED", "20261130"))
CASES = int(os.environ.get("NHIEMVU_FUZZ_CASES", "20"))

WORDS = ("Giao Phòng Kinh tế chủ trì phối hợp với Công an xã Văn phòng HĐND và UBND rà soát tổng hợp "
         "báo cáo kết quả trước ngày 15/7/2026 hằng tháng thực hiện kiểm tra hồ sơ đất đai").split()
HOSTILE = ["\x00", "\x01", "\x07", "\x0b", "\x0c", "\x1b[31m", "\x1f", "\x7f", "\x85", "\x9b", "\u2028",
           "\ufffe", "\uffff", "\ufdd0", "\u200b", "\u00ad", "\U0001fffe", "\ud800", "\udfff", "=HYPERLINK(\"x\")",
           "@SUM(1)", "<w:p>", "&amp;", "]]>", "{{ 7*7 }}", "{% for %}"]


def words(rng: random.Random, n: int, hostile: float = 0.05) -> str:
    out = []
    for _ in range(n):
        out.append(rng.choice(HOSTILE) if rng.random() < hostile else rng.choice(WORDS))
    return " ".join(out)


def utf8_bytes(text: str) -> bytes:
    return text.encode("utf-8", errors="surrogatepass")  # lone surrogates as the invalid bytes they become


# ---------------------------------------------------------------- generators, one file each
def txt_control(rng, path):
    lines = ["THÔNG BÁO", "", "Kết luận của Chủ tịch UBND xã", ""]
    lines += [f"{k}. {words(rng, rng.randint(5, 60), hostile=0.2)}." for k in range(1, rng.randint(2, 12))]
    path.with_suffix(".txt").write_bytes(utf8_bytes("\n".join(lines)))


def txt_long_paragraph(rng, path):
    size = rng.choice((20_000, 100_000, 200_000))
    body = " ".join(rng.choice(WORDS[6:]).lower() for _ in range(size // 6))[:size]
    path.with_suffix(".txt").write_text(f"THÔNG BÁO\n\nGiao Phòng Kinh tế {body}\n", encoding="utf-8")


def txt_deep_list(rng, path):
    depth = rng.randint(10, 400)
    lines = ["KẾ HOẠCH", ""]
    for k in range(depth):
        number = ".".join(["1"] * (k % 60 + 1))
        lines.append(f"{number}. Giao Phòng Kinh tế {words(rng, 6)}")
    path.with_suffix(".txt").write_bytes(utf8_bytes("\n".join(lines)))


def txt_random_bytes(rng, path):
    data = bytes(rng.randrange(256) for _ in range(rng.randint(1, 20_000)))
    path.with_suffix(rng.choice((".txt", ".md"))).write_bytes(data)


def txt_mixed_encoding(rng, path):
    text = "THÔNG BÁO\n\n" + "\n\n".join(f"{k}. Giao Trung tâm Phục vụ hành chính công {words(rng, 10, 0)}."
                                          for k in range(1, 8))
    parts = text.split("\n\n")
    data = b"\n\n".join(p.encode("utf-8") if rng.random() < 0.5 else p.encode("cp1258", errors="replace")
                        for p in parts)
    path.with_suffix(".txt").write_bytes(data)


def _docx_bytes(rng, rows: int = 4, span: str = "1", nest: int = 0) -> bytes:
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    d = docx.Document()
    d.add_paragraph("THÔNG BÁO")
    for k in range(rng.randint(1, 6)):
        d.add_paragraph(f"{k + 1}. {words(rng, rng.randint(4, 30), 0)}")
    table = d.add_table(rows=rows, cols=3)
    for r in range(rows):
        for c in range(3):
            table.cell(r, c).text = words(rng, rng.randint(1, 8), 0)
    cell = table.cell(0, 1)
    for _ in range(nest):  # tables inside tables
        inner = cell.add_table(rows=1, cols=2)
        inner.cell(0, 0).text = words(rng, 3, 0)
        cell = inner.cell(0, 1)
    for tr in table._tbl.tr_lst:  # spans last: python-docx's own cell lookup counts them
        tc_pr = tr.tc_lst[0].get_or_add_tcPr()
        grid_span = OxmlElement("w:gridSpan")
        grid_span.set(qn("w:val"), span)
        tc_pr.append(grid_span)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _rewrite(data: bytes, member: str, change) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item)
            dst.writestr(item, change(body) if item.filename == member else body)
    return out.getvalue()


def docx_huge_span(rng, path):
    span = rng.choice(("50000000", "2147483647", "-1", "0", "abc", "1e9", "64"))
    path.with_suffix(".docx").write_bytes(_docx_bytes(rng, rows=rng.randint(5, 40), span=span))


def docx_nested_tables(rng, path):
    path.with_suffix(".docx").write_bytes(_docx_bytes(rng, nest=rng.randint(5, 60)))


def docx_control_characters(rng, path):
    def inject(xml: bytes) -> bytes:
        for _ in range(rng.randint(1, 10)):
            at = xml.find(b"</w:t>", rng.randrange(len(xml)))
            if at > 0:
                xml = xml[:at] + rng.choice((b"\x01", b"\x1b[2J", b"&#x1;", b"&#xFFFE;", b"\xef\xbf\xbe")) + xml[at:]
        return xml
    path.with_suffix(".docx").write_bytes(_rewrite(_docx_bytes(rng), "word/document.xml", inject))


def docx_random_bytes_in_part(rng, path):
    member = rng.choice(("word/document.xml", "word/styles.xml", "word/numbering.xml", "[Content_Types].xml",
                         "word/_rels/document.xml.rels"))

    def scramble(xml: bytes) -> bytes:
        at = rng.randrange(max(1, len(xml)))
        return xml[:at] + bytes(rng.randrange(256) for _ in range(rng.randint(1, 400))) + xml[at + rng.randint(0, 50):]
    path.with_suffix(".docx").write_bytes(_rewrite(_docx_bytes(rng), member, scramble))


def docx_deep_xml(rng, path):
    depth = rng.choice((100, 300, 3000))

    def deepen(xml: bytes) -> bytes:
        nest = b"<w:sdt><w:sdtContent>" * depth + "<w:p><w:r><w:t>Giao Phòng Kinh tế rà soát</w:t></w:r></w:p>".encode() \
            + b"</w:sdtContent></w:sdt>" * depth
        return xml.replace(b"<w:body>", b"<w:body>" + nest, 1)
    path.with_suffix(".docx").write_bytes(_rewrite(_docx_bytes(rng), "word/document.xml", deepen))


GENERATORS = [txt_control, txt_long_paragraph, txt_deep_list, txt_random_bytes, txt_mixed_encoding,
              docx_huge_span, docx_nested_tables, docx_control_characters, docx_random_bytes_in_part, docx_deep_xml]


@pytest.fixture(scope="module")
def hostile_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("fuzz") / "vb"
    folder.mkdir()
    rng = random.Random(SEED)
    for k in range(CASES):
        generator = GENERATORS[k % len(GENERATORS)]
        generator(random.Random(rng.random()), folder / f"{k:03d}-{generator.__name__}")
    return folder


def test_each_hostile_file_is_read_within_limits_or_named_as_bad(hostile_folder):
    from extractors.errors import NoticeError
    from pipeline import api
    from pipeline.limits import FileTimeout, file_limits

    outcomes = {}
    for path in sorted(hostile_folder.iterdir()):
        try:
            with file_limits(60, 1024):  # far above what any of these needs; a regression hits it
                notice = api.parse(path)
                tasks = api.extract(notice)
            outcomes[path.name] = f"{len(tasks)} nhiệm vụ"
        except NoticeError as exc:
            assert exc.reason and "\n" not in exc.reason, path.name
            outcomes[path.name] = f"lỗi: {exc.reason}"
        except FileTimeout:
            pytest.fail(f"{path.name}: over the time limit (seed {SEED})")
        except MemoryError:
            pytest.fail(f"{path.name}: over the memory limit (seed {SEED})")
        except Exception as exc:  # anything else is a reader or extractor bug
            pytest.fail(f"{path.name}: {exc.__class__.__name__}: {exc} (seed {SEED})")
    assert len(outcomes) == CASES
    assert any("nhiệm vụ" in o and not o.startswith("0") for o in outcomes.values())  # not all refused


# what reaches the register's exports and letters (the long and deep ones only cost time there)
TO_REGISTER = ("txt_control", "txt_mixed_encoding", "txt_random_bytes", "docx_huge_span", "docx_control_characters",
               "docx_random_bytes_in_part")


def test_the_hostile_folder_registers_and_exports(hostile_folder, tmp_path):
    import shutil

    from openpyxl import load_workbook

    folder = tmp_path / "vb"
    folder.mkdir()
    for path in hostile_folder.iterdir():
        if path.stem.split("-", 1)[1] in TO_REGISTER:
            shutil.copy(path, folder / path.name)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-m", "pipeline.cli", "run", str(folder), "--db", str(tmp_path / "nv.db"),
                           "--out", str(tmp_path / "out")], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=600)
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    assert proc.returncode in (0, 1), proc.stderr
    wb = load_workbook(tmp_path / "out" / "nhiemvu.xlsx", read_only=True)
    assert sum(1 for ws in wb.worksheets for _ in ws.iter_rows()) > 1
    wb.close()
    records = json.loads((tmp_path / "out" / "nhiemvu.json").read_text(encoding="utf-8"))
    unsafe = {c for r in records for c in r["action"] if ord(c) < 32 and c not in "\t\n"}
    assert not unsafe
