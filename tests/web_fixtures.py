"""A real register read from the seed notices, shared by the review page's handler and browser tests."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from pipeline.batch import run_batch
from pipeline.register import Register

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
AS_OF = dt.date(2026, 7, 20)
MISSED = "phun thuốc khử khuẩn tại chợ xã"  # a duty the extractor does not read as a task (opening paragraph)
HOSTILE = ("ỦY BAN NHÂN DÂN\nXÃ AN PHÚ\nSố: 99/TB-UBND\nAn Phú, ngày 01 tháng 7 năm 2026\nTHÔNG BÁO\n"
           "Kết luận <script>alert(1)</script> họp {{ 7*7 }}\n\n"
           "Sáng ngày 30/6/2026, UBND xã họp về an ninh trật tự; cuộc họp thống nhất phun thuốc khử khuẩn "
           "tại chợ xã trước ngày 05/8/2026.\n"
           "1. Giao Phòng Kinh tế rà soát <script>window.pwned=1</script> các hộ {{ config }}, "
           "hoàn thành trước ngày 25/7/2026.\n"
           "2. Giao Công an xã kiểm tra an ninh trật tự trên địa bàn, hoàn thành trước ngày 10/7/2026.\n"
           "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nCHỦ TỊCH\nNguyễn Văn An\n")


def build_register(root: Path) -> tuple[Path, Path]:
    """A folder with the five seed notices and one hostile notice, read into root/nhiemvu.db."""
    folder = root / "van-ban"
    folder.mkdir(parents=True)
    for f in sorted(SAMPLES.glob("*.txt")):
        shutil.copy(f, folder / f.name)
    (folder / "tb-99-hostile.txt").write_text(HOSTILE, encoding="utf-8")
    db = root / "nhiemvu.db"
    with Register.open(db) as reg:
        run_batch([folder], reg, jobs=1)
    return db, folder


def copy_register(db: Path, target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    copy = target / db.name
    with Register.open(db) as reg:  # fold the WAL into the main file before copying
        reg.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy(db, copy)
    return copy
