"""Generate real .docx and .pdf samples from the seed notices in samples/*.txt.

    python scripts/make_samples.py            # writes the files listed in SAMPLES

The .docx has the two-column borderless header (issuer and Số on the left, Quốc
hiệu/Tiêu ngữ and place/date on the right) and the body's numbering as real Word
lists (I. / 1. / 1.1. / a) / - / +) wherever Word's own counters give the label the
notice shows; a label Word would number differently is kept as typed text.
The .pdf is set with reportlab and DejaVu Sans: justified, wrapped, several pages,
page numbers at the bottom.

Generated stems differ from the seeds' so the scorer (which matches by stem) does
not count the same notice twice.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractors.readers.txt import read as read_txt  # noqa: E402
from tests.builders import add_list_numbering, build_notice_pdf, set_numbering  # noqa: E402

SAMPLES = {  # seed stem -> (output name, kind)
    "002_4cd0d770ec03d902": ("cv_trien_khai_thong_bao_294.docx", "docx"),
    "004_b28fac50b317b3d2": ("tb_ket_luan_so_ket_chuyen_doi_so.docx", "docx"),
    "000_eabed86a213ae9b7": ("tb_ket_luan_chuyen_doi_so.pdf", "pdf"),
}
# Word levels of the generated list: (ilvl, numFmt, lvlText)
LEVELS = {"roman": (0, "upperRoman", "%1."), "number": (1, "decimal", "%2."), "sub": (2, "decimal", "%2.%3."),
          "letter": (3, "lowerLetter", "%4)")}
# bullets are a list of their own, as Word's bullet button makes them
BULLETS = {"dash": (0, "bullet", "-"), "plus": (1, "bullet", "+")}
_LABEL = re.compile(r"^(?P<label>[IVX]+\.|\d+\.\d+\.|\d+\.|[a-zđ]\)|-|\+)\s+(?P<text>\S.*)$", re.S)
_HEADER_LINE = re.compile(r"^(ỦY BAN NHÂN DÂN|UBND|CỘNG HÒA|Độc lập)", re.I)


def seed_paragraphs(seed: Path) -> list[str]:
    """The seed's paragraphs; a line break before a capital starts a paragraph of its own
    ("2. Nhiệm vụ cụ thể" over "Để bảo đảm ..."), one before a lower-case letter is a wrap."""
    paragraphs: list[str] = []
    for el in read_txt(seed).elements:
        lines = el.text.split("\n")
        paragraphs.append(lines[0])
        for line in lines[1:]:
            if line[:1].islower():
                paragraphs[-1] += " " + line
            else:
                paragraphs.append(line)
    return paragraphs


def split_header(paragraphs: list[str]) -> tuple[str, str, list[str]]:
    """(Số line, place/date line, body): the seeds' header lines move into the header table."""
    number = next((p for p in paragraphs[:6] if p.startswith("Số:")), "Số: /UBND")
    dated = next((p for p in paragraphs[:6] if re.search(r"ngày .*năm \d{4}", p)), "")
    body = [p for p in paragraphs if p not in (number, dated) and not _HEADER_LINE.match(p)]
    return number, dated, body


def issuer_line(dated: str) -> str:
    """'XÃ NGHI DƯƠNG' from 'Nghi Dương, ngày ...'; a place already named 'Phường ...' keeps its level."""
    place = dated.split(",")[0].strip() or "Nghi Dương"
    if re.match(r"(?i)^(xã|phường|thị trấn|đặc khu)\s", place):
        return place.upper()
    return f"XÃ {place.upper()}"


class WordCounters:
    """Word's counters for the generated list, to know which labels Word would draw as written."""

    def __init__(self):
        self.values: dict[int, int] = {}

    def render(self, kind: str) -> tuple[str, int]:
        if kind in BULLETS:
            return ("-" if kind == "dash" else "+"), 0
        level = LEVELS[kind][0]
        value = self.values.get(level, 0) + 1
        if kind == "roman":
            return _roman(value) + ".", value
        if kind == "number":
            return f"{value}.", value
        if kind == "sub":
            return f"{self.values.get(1, 1)}.{value}.", value
        if kind == "letter":
            return f"{chr(96 + value)})", value

    def commit(self, kind: str, value: int) -> None:
        if kind in BULLETS:
            return
        level = LEVELS[kind][0]
        self.values[level] = value
        for deeper in [k for k in self.values if k > level]:
            del self.values[deeper]


def label_kind(label: str) -> str:
    if re.fullmatch(r"[IVX]+\.", label):
        return "roman"
    if re.fullmatch(r"\d+\.\d+\.", label):
        return "sub"
    if re.fullmatch(r"\d+\.", label):
        return "number"
    if re.fullmatch(r"[a-zđ]\)", label):
        return "letter"
    return "dash" if label == "-" else "plus"


def build_docx(seed: Path, out: Path) -> None:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    from tests.builders import add_header_table

    number, dated, body = split_header(seed_paragraphs(seed))
    document = docx.Document()
    add_header_table(document, left=["ỦY BAN NHÂN DÂN", issuer_line(dated)],
                     right=["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", dated], number=number)
    num_id = add_list_numbering(document, LEVELS)
    bullet_id = add_list_numbering(document, BULLETS)
    counters = WordCounters()
    title_next = False
    for text in body:
        paragraph = document.add_paragraph()
        match = _LABEL.match(text)
        if match:
            kind = label_kind(match["label"])
            rendered, value = counters.render(kind)
            if rendered == match["label"]:
                counters.commit(kind, value)
                list_id, levels = (bullet_id, BULLETS) if kind in BULLETS else (num_id, LEVELS)
                set_numbering(paragraph, list_id, levels[kind][0])
                text = match["text"]
        run = paragraph.add_run(text)
        is_title = text.isupper() and len(text) < 40
        centred = is_title or title_next
        run.bold = centred or (bool(match) and match["label"][0] in "IVX" and text.isupper())
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if centred else WD_ALIGN_PARAGRAPH.JUSTIFY
        title_next = is_title
    document.save(str(out))


def build_pdf(seed: Path, out: Path) -> None:
    build_notice_pdf(out, seed_paragraphs(seed), first_line_indent=28)


def main() -> None:
    for stem, (name, kind) in SAMPLES.items():
        seed = ROOT / "samples" / f"{stem}.txt"
        if not seed.exists():
            print(f"bỏ qua {seed.name}: không có tệp mẫu")
            continue
        out = ROOT / "samples" / name
        (build_docx if kind == "docx" else build_pdf)(seed, out)
        print(f"{out.relative_to(ROOT)} <- {seed.name}")


def _roman(value: int) -> str:
    numerals = ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    out = ""
    for number, numeral in numerals:
        while value >= number:
            out += numeral
            value -= number
    return out


if __name__ == "__main__":
    main()
