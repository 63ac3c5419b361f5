#!/usr/bin/env bash
# Render sample letters → PDF (LibreOffice) → PNG (pdftoppm), to look at them as a clerk would.
# Usage: scripts/preview_letter.sh [OUT_DIR]   (default: out/xem-truoc)
set -euo pipefail
out="${1:-out/xem-truoc}"
mkdir -p "$out"
python - "$out" <<'PY'
import datetime as dt, sys
from pathlib import Path
from extractors.models import Deadline, NoticeRef, RegisteredTask, Task
from pipeline.render import draft_letters, draft_report

out = Path(sys.argv[1])
notice = NoticeRef(id=1, source="tb.docx", content_hash="0", doc_type="TB", doc_number="125/TB-UBND",
                   doc_date=dt.date(2026, 6, 30))
def task(i, unit, action, due, status):
    t = Task(source="tb.docx", assignee=unit, action=action,
             deadline=Deadline(due=due, phrase="") if due else Deadline(ongoing=True))
    return RegisteredTask(id=f"T-{i:06x}", task=t, notice=notice, status=status)
tasks = [
    task(1, "Phòng Văn hóa - Xã hội", "Chủ trì rà soát, cập nhật dữ liệu dân cư & hộ gia đình trên hệ thống <VNeID>; "
         "tổng hợp kết quả gửi UBND xã.", dt.date(2026, 7, 10), "chưa hoàn thành quá hạn"),
    task(2, "Phòng Văn hóa - Xã hội", "Tổ chức tập huấn kỹ năng số cho tổ công nghệ số cộng đồng.",
         dt.date(2026, 9, 30), "chưa hoàn thành trong hạn"),
    task(3, "Phòng Kinh tế", "Hướng dẫn hộ kinh doanh thanh toán không dùng tiền mặt.", None,
         "chưa hoàn thành trong hạn"),
]
paths = draft_letters(tasks, out, dt.date(2026, 8, 5)) + draft_letters(tasks, out, dt.date(2026, 8, 5), combined=True)
paths.append(draft_report(tasks, out / "bao-cao-tong-hop.docx", dt.date(2026, 8, 5)))
print("\n".join(map(str, paths)))
PY
for f in "$out"/*.docx; do
  soffice -env:UserInstallation=file:///tmp/lo-preview-$$ --headless --convert-to pdf --outdir "$out" "$f" >/dev/null 2>&1
done
for f in "$out"/*.pdf; do
  pdftoppm -png -r 60 -f 1 -l 1 "$f" "${f%.pdf}"
done
ls "$out"/*.png
