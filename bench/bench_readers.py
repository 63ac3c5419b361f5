"""Reader speed and fidelity: pdfplumber vs pypdfium2 on the same PDFs, and .docx files/s.

    python -m bench.bench_readers [--pages 40] [--docx 30]

Builds the corpus with tests/builders.py from the seed notices in samples/*.txt (a
multi-page justified PDF with a ruled task table, and Word notices), then prints
for each PDF library pages/s for plain text and the share of the source's words
(with their diacritics) found in the extracted text; then the project's readers
(extractors.readers.pdf, extractors.readers.docx) end to end.
"""
from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def seed_paragraphs() -> list[str]:
    from extractors.readers.txt import read

    paragraphs: list[str] = []
    for seed in sorted((ROOT / "samples").glob("*.txt")):
        paragraphs += [el.text.replace("\n", " ") for el in read(seed).elements]
    return paragraphs


def words(text: str) -> set[str]:
    return set(re.findall(r"\w+", unicodedata.normalize("NFC", text)))


def timed(fn, repeat: int = 3) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def pdfium_text(path: Path) -> list[str]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        return [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    finally:
        pdf.close()


def plumber_text(path: Path) -> list[str]:
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=40, help="approximate pages of the PDF")
    parser.add_argument("--docx", type=int, default=30, help="number of .docx files")
    args = parser.parse_args()

    from extractors.readers import docx as docx_reader
    from extractors.readers import pdf as pdf_reader
    from tests.builders import build_notice_docx, build_notice_pdf

    paragraphs = seed_paragraphs()
    source_words = words(" ".join(paragraphs))
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        body = paragraphs * max(1, args.pages // 15)
        table = [["STT", "Nội dung", "Chủ trì", "Phối hợp", "Thời hạn"]] + [
            [str(i), f"Rà soát hồ sơ đất đai thôn {i}", "Phòng Kinh tế", "Công an xã", "Quý III/2026"] for i in range(80)]
        plain = build_notice_pdf(tmp / "plain.pdf", body)
        ruled = build_notice_pdf(tmp / "ruled.pdf", paragraphs, tables=[table])
        print(f"{'PDF text':<28}{'pages':>7}{'pages/s':>12}{'words kept':>12}")
        for name, path in (("plain", plain), ("with table", ruled)):
            for lib, fn in (("pypdfium2", pdfium_text), ("pdfplumber", plumber_text)):
                seconds, pages = timed(lambda: fn(path), repeat=2 if lib == "pdfplumber" else 3)
                kept = len(source_words & words(" ".join(pages))) / len(source_words)
                print(f"{lib + ' ' + name:<28}{len(pages):>7}{len(pages) / seconds:>12.1f}{kept:>12.1%}")
        for name, path in (("plain", plain), ("with table", ruled)):
            seconds, doc = timed(lambda: pdf_reader.read(path))
            kept = len(source_words & words(" ".join(getattr(e, "text", "") for e in doc.elements))) / len(source_words)
            print(f"{'readers.pdf ' + name:<28}{doc.pages:>7}{doc.pages / seconds:>12.1f}{kept:>12.1%}")

        files = [build_notice_docx(tmp / f"n{i}.docx", [("number", p) if i % 3 == 0 else p for p in paragraphs[:60]],
                                   tables=[table[:12]]) for i in range(args.docx)]
        seconds, _ = timed(lambda: [docx_reader.read(f) for f in files], repeat=2)
        print(f"{'readers.docx':<28}{len(files):>7} files{len(files) / seconds:>8.1f} files/s")


if __name__ == "__main__":
    main()
