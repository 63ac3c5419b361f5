"""Generate a folder of hostile and odd notice files for tests/test_badinput.py.

    python tests/badinput/make_badinput.py DIR

Nothing here is committed as a binary: every file is made on the fly (the zip bomb and the
50 MB file are small on disk: one is compressed, the other sparse).

`make_badinput(folder)` returns {file name: expectation}:
  "error"  the file must be refused with a one-line Vietnamese reason naming it
  "empty"  the file must be read and give no task (English text, a thank-you letter)
  "ok"     a legitimate odd file (encodings, a Vietnamese name with spaces) that must be read
"""
from __future__ import annotations

import io
import itertools
import random
import sys
import unicodedata
import zipfile
from pathlib import Path

ERROR, EMPTY, OK = "error", "empty", "ok"
BOMB_BYTES = 256 * 1024 * 1024  # what word/document.xml of the zip bomb expands to
BIG_BYTES = 50 * 1024 * 1024
# each legitimate odd file is a notice of its own (a register keeps one notice per number and issuer)
ODD_NUMBERS = {"utf16-bom.txt": 21, "utf8-bom.txt": 22, "windows-1258.txt": 23, "Thông báo số 12 (bản chính).txt": 12}

# A short notice of our own, in the shape of a commune's thông báo kết luận.
NOTICE_VI = """ỦY BAN NHÂN DÂN
XÃ TÂN PHÚ
Số: {number}/TB-UBND

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Tân Phú, ngày 05 tháng 3 năm 2026

THÔNG BÁO
Kết luận của Chủ tịch UBND xã tại cuộc họp giao ban tháng 3 năm 2026

Ngày 04/3/2026, Chủ tịch UBND xã chủ trì cuộc họp giao ban. Sau khi nghe báo cáo, Chủ tịch UBND xã kết luận như sau:

1. Giao Công an xã chủ trì, phối hợp với Ban Chỉ huy Quân sự xã tăng cường tuần tra, bảo đảm an ninh trật tự trên địa bàn; hoàn thành trước ngày 31/3/2026.

2. Văn phòng HĐND và UBND xã tổng hợp kết quả thực hiện, báo cáo Chủ tịch UBND xã trước ngày 10/4/2026.

Nơi nhận:
- Như trên;
- Lưu: VT.

TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Nguyễn Văn An
"""

NOTICE_EN = """PEOPLE'S COMMITTEE OF TAN PHU COMMUNE

NOTICE
On the schedule of the monthly briefing

The monthly briefing of the People's Committee will take place on 12 March 2026 at the commune hall.
Participants are kindly requested to arrive on time. This notice is for information only.

Sincerely,
Chairman
"""

THANKS_VI = """ỦY BAN NHÂN DÂN
XÃ TÂN PHÚ

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

THƯ CẢM ƠN

Ủy ban nhân dân xã Tân Phú trân trọng cảm ơn quý doanh nghiệp, các nhà hảo tâm và nhân dân
trong xã đã quan tâm ủng hộ Quỹ Vì người nghèo năm 2026.

Sự chung tay của quý vị đã góp phần giúp đỡ các hộ gia đình có hoàn cảnh khó khăn đón Tết
đầm ấm. Kính chúc quý vị sức khỏe, hạnh phúc và thành công.

Trân trọng cảm ơn!

TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Nguyễn Văn An
"""


# ---------------------------------------------------------------- helpers
def odd_notice_text(number: int) -> str:
    return NOTICE_VI.replace("{number}", str(number))


def encode_cp1258(text: str) -> bytes:
    """Windows-1258 stores tone marks as combining characters after the (possibly hatted) vowel."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        base, *marks = unicodedata.normalize("NFD", ch)
        out += _cp1258_letter(base, marks)
    return bytes(out)


def _cp1258_letter(base: str, marks: list[str]) -> bytes:
    """The precomposed letter cp1258 has (ô, ơ, ư, ...) followed by the tone marks it lacks."""
    for k in range(len(marks), -1, -1):
        for head_marks in itertools.combinations(marks, k):
            rest = list(marks)
            for m in head_marks:
                rest.remove(m)
            try:
                head = unicodedata.normalize("NFC", base + "".join(head_marks))
                return head.encode("cp1258") + "".join(rest).encode("cp1258")
            except UnicodeEncodeError:
                continue
    raise UnicodeEncodeError("cp1258", base, 0, 1, "no Windows-1258 spelling")


def _pdf_bytes(draw, encrypt: str | None = None) -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, encrypt=encrypt)
    draw(c)
    c.showPage()
    c.save()
    return buf.getvalue()


def _text_pdf(text: str, encrypt: str | None = None) -> bytes:
    def draw(c):
        c.setFont("Helvetica", 11)
        for i, line in enumerate(text.splitlines()[:40]):
            c.drawString(60, 780 - 16 * i, line.encode("ascii", "replace").decode())
    return _pdf_bytes(draw, encrypt)


def _image_pdf() -> bytes:
    """A page that is only a picture of text, as a scanner makes: no text layer."""
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader

    img = Image.new("L", (800, 400), 255)
    pen = ImageDraw.Draw(img)
    for i, line in enumerate(NOTICE_EN.splitlines()[:12]):
        pen.text((20, 20 + 28 * i), line, fill=0)

    def draw(c):
        c.drawImage(ImageReader(img), 40, 400, width=520, height=260)
    return _pdf_bytes(draw)


def _docx_bytes(paragraphs: list[str]) -> bytes:
    import docx

    d = docx.Document()
    for p in paragraphs:
        d.add_paragraph(p)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '</Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="word/document.xml"/></Relationships>'
)
_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _write_package(path: Path, document_xml_writer) -> None:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES)
        zf.writestr("_rels/.rels", _RELS)
        with zf.open("word/document.xml", "w", force_zip64=True) as fh:
            document_xml_writer(fh)


def write_zip_bomb(path: Path, size: int = BOMB_BYTES) -> None:
    """A .docx whose document.xml inflates to `size` bytes of spaces (under 1 MB on disk)."""
    def body(fh):
        fh.write(f'<?xml version="1.0" encoding="UTF-8"?><w:document {_W}><w:body><w:p><w:r><w:t>'.encode())
        chunk = b" " * (8 << 20)
        for _ in range(size // len(chunk)):
            fh.write(chunk)
        fh.write(b"</w:t></w:r></w:p></w:body></w:document>")
    _write_package(path, body)


def write_billion_laughs(path: Path) -> None:
    """A .docx whose document.xml defines nested entities that expand to 10^9 'lol's if resolved."""
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    xml = (f'<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE w:document [{entities}]>'
           f'<w:document {_W}><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>')
    _write_package(path, lambda fh: fh.write(xml.encode()))


# ---------------------------------------------------------------- the folder
def make_badinput(folder: str | Path, big: bool = True) -> dict[str, str]:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    made: dict[str, str] = {}

    def put(name: str, data: bytes, expect: str) -> None:
        (folder / name).write_bytes(data)
        made[name] = expect

    put("rong.txt", b"", ERROR)
    put("rong.pdf", b"", ERROR)
    put("rong.docx", b"", ERROR)
    put("pdf-doi-ten.docx", _text_pdf(NOTICE_EN), ERROR)
    docx = _docx_bytes(odd_notice_text(12).split("\n\n"))
    put("docx-cat-cut.docx", docx[: len(docx) // 2], ERROR)
    write_zip_bomb(folder / "bom-nen.docx")
    made["bom-nen.docx"] = ERROR
    write_billion_laughs(folder / "ty-tieng-cuoi.docx")
    made["ty-tieng-cuoi.docx"] = ERROR
    put("ma-hoa.pdf", _text_pdf(NOTICE_EN, encrypt="matkhau"), ERROR)
    put("chi-co-anh.pdf", _image_pdf(), EMPTY)  # read by OCR: an English page, no task
    put("nhieu-nhi-phan.txt", random.Random(7).randbytes(64 * 1024), ERROR)
    if big:
        for name in ("qua-lon.txt", "qua-lon.pdf"):
            with open(folder / name, "wb") as fh:  # sparse: 50 MB long, nothing on disk
                fh.truncate(BIG_BYTES)
            made[name] = ERROR
    put("english-notice.txt", NOTICE_EN.encode(), EMPTY)
    put("thu-cam-on.txt", THANKS_VI.encode(), EMPTY)

    text = {name: odd_notice_text(number) for name, number in ODD_NUMBERS.items()}
    put("utf16-bom.txt", text["utf16-bom.txt"].replace("\n", "\r\n").encode("utf-16"), OK)
    put("utf8-bom.txt", b"\xef\xbb\xbf" + text["utf8-bom.txt"].encode(), OK)
    put("windows-1258.txt", encode_cp1258(text["windows-1258.txt"].replace("\n", "\r\n")), OK)
    put("Thông báo số 12 (bản chính).txt", text["Thông báo số 12 (bản chính).txt"].encode(), OK)
    return made


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__.strip().splitlines()[2].strip())
    for name, expect in make_badinput(sys.argv[1]).items():
        print(f"{expect:6} {name}")
