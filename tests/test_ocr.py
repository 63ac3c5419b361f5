"""Scans: seed notices rasterised at 200 dpi are read by Tesseract (Vietnamese) and keep their tasks;
a garbled page is flagged for checking; without Tesseract a one-line message says how to install it."""
import json
import random
import shutil
import struct
import sys
import zlib
from pathlib import Path

import pytest

from bench.scans import rasterise
from extractors.errors import CorruptFile, UnsupportedFormat
from extractors.readers import ocr, read
from pipeline.batch import run_batch
from pipeline.evaluate import evaluate
from pipeline.register import Register
from tests.shared_folder import shared_folder

ROOT = Path(__file__).resolve().parent.parent
SEEDS = (shared_folder("seeds") or ROOT.parent / "shared") / "seeds"  # absent: the test that needs it skips
OCR_SEED = "001_8c67ab148a5ce6b1"  # two pages: headings, lettered sub-items, bullets under a lead-in
needs_tesseract = pytest.mark.skipif(ocr.tessdata_dir() is None, reason="Tesseract Vietnamese model not installed "
                                     "(apt install tesseract-ocr tesseract-ocr-vie)")


def seed_pdf(folder: Path, stem: str) -> Path:
    sys.path.insert(0, str(ROOT / "scripts"))
    import make_samples

    folder.mkdir(parents=True, exist_ok=True)
    out = folder / f"{stem}.pdf"
    make_samples.build_pdf(ROOT / "samples" / f"{stem}.txt", out)
    return out


@pytest.fixture(scope="module")
def scanned_seed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("scan")
    text_pdf = seed_pdf(folder / "text", OCR_SEED)
    return rasterise(text_pdf, folder / f"{OCR_SEED}.pdf", dpi=200)


def garbled(path: Path, source: Path) -> Path:
    """The seed's first page as a bad photocopy: low resolution, blurred, speckled, then thresholded."""
    import pypdfium2 as pdfium
    from PIL import ImageFilter

    doc = pdfium.PdfDocument(str(source))
    image = doc[0].render(scale=100 / 72, grayscale=True).to_pil().convert("L").filter(ImageFilter.GaussianBlur(1.0))
    doc.close()
    rng, px = random.Random(1), image.load()
    for _ in range(image.width * image.height // 40):
        px[rng.randrange(image.width), rng.randrange(image.height)] = rng.choice((0, 255))
    image = image.resize((image.width * 3, image.height * 3)).point(lambda v: 255 if v > 150 else 0)
    image.save(path)
    return path


@needs_tesseract
@pytest.mark.skipif(not (SEEDS / f"{OCR_SEED}.gold.json").exists(), reason="shared seeds not present")
def test_scanned_seed_keeps_its_tasks(scanned_seed, tmp_path):
    gold = tmp_path / "gold"
    gold.mkdir()
    shutil.copy(SEEDS / f"{OCR_SEED}.gold.json", gold)
    raw = read(scanned_seed)
    assert raw.ocr_pages == list(range(1, raw.pages + 1)) and raw.review_pages == []
    summary = evaluate(gold, [scanned_seed], echo=lambda line: None)
    assert summary["errors"] == 0 and summary["strict_f1"] >= 0.90


@needs_tesseract
def test_bad_photocopy_is_flagged_in_the_register_and_the_report(scanned_seed, tmp_path):
    folder = tmp_path / "van-ban"
    folder.mkdir()
    garbled(folder / "ban-chup-mo.png", scanned_seed)
    with Register.open(tmp_path / "nv.db") as reg:
        summary = run_batch([folder], reg, jobs=1)
        tasks = reg.tasks()
    report = "\n".join(summary.lines())
    assert "Cần kiểm tra lại bản quét" in report and "ban-chup-mo.png: trang 1" in report
    assert all(t.notice.review_pages == [1] for t in tasks)


@needs_tesseract
def test_image_of_a_clean_page_reads_without_flag(scanned_seed, tmp_path):
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(scanned_seed))
    png = tmp_path / "trang-1.png"
    doc[0].render(scale=1).to_pil().save(png)
    doc.close()
    raw = read(png)
    assert raw.format == "image" and raw.review_pages == []
    assert any("Kính gửi" in p.text for p in raw.elements)


def test_without_tesseract_one_line_says_how_to_install(tmp_path, monkeypatch):
    monkeypatch.setattr(ocr, "tessdata_dir", lambda: None)
    monkeypatch.setattr(ocr, "_ENGINE", None)
    png = tmp_path / "anh quét.png"
    from PIL import Image

    Image.new("L", (200, 100), 255).save(png)
    with pytest.raises(UnsupportedFormat) as info:
        read(png)
    line = str(info.value)
    assert png.name in line and "tesseract-ocr-vie" in line and "\n" not in line


def _png_header(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)) + \
        chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")


@needs_tesseract
def test_image_bomb_and_broken_image_get_a_named_error(tmp_path):
    bomb = tmp_path / "bom.png"
    bomb.write_bytes(_png_header(60000, 60000))
    with pytest.raises(CorruptFile) as info:
        read(bomb)
    assert "bom.png" in str(info.value)
    broken = tmp_path / "hong.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 50)
    with pytest.raises(CorruptFile):
        read(broken)
