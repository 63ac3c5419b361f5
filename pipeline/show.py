"""Human-readable view of a Notice for `nhiemvu parse`."""
from __future__ import annotations

from extractors.models import Block, Notice


def _tree(blocks: list[Block], depth: int = 0) -> list[str]:
    lines = []
    for b in blocks:
        label = f"{b.label} " if b.label else ""
        text = b.text if len(b.text) <= 110 else b.text[:107] + "..."
        if b.kind == "table":
            text = f"[bảng {len(b.rows or [])} dòng]"
        lines.append(f"{'  ' * depth}{label}{text}")
        lines.extend(_tree(b.children, depth + 1))
    return lines


BUSINESS_VI = {"new": "văn bản mới", "revoke": "thu hồi", "update": "cập nhật", "replace": "thay thế"}


def intake_fields(notice: Notice) -> list[tuple[str, str]]:
    """How the notice arrived, when that matters: an exchange package, a scan read by OCR."""
    out = []
    if notice.package:
        p = notice.package
        refs = f" văn bản {', '.join(p.refers_to)}" if p.refers_to and p.business != "new" else ""
        out.append(("Gói liên thông", f"{p.document_id or '-'}; {BUSINESS_VI[p.business]}{refs}; "
                                      f"tệp đính kèm {p.attachment or '-'}"))
    if notice.ocr_pages:
        check = (f"; cần kiểm tra lại bản quét: trang {', '.join(map(str, notice.review_pages))}"
                 if notice.review_pages else "")
        out.append(("Bản quét", f"{len(notice.ocr_pages)} trang nhận dạng chữ (OCR){check}"))
    return out


def print_notice(notice: Notice) -> None:
    fields = [
        ("Tệp", notice.source), ("Loại", notice.doc_type), ("Số, ký hiệu", notice.doc_number),
        ("Ngày", notice.doc_date.strftime("%d/%m/%Y") if notice.doc_date else None),
        ("Địa danh", notice.place), ("Cơ quan ban hành", notice.issuer),
        ("Cơ quan chủ quản", notice.issuer_parent), ("Trích yếu", notice.title),
        ("Kính gửi", "; ".join(notice.recipients) or None),
        ("Người ký", " ".join(x for x in (notice.sign_authority, notice.signer_title, notice.signer) if x) or None),
        ("Nơi nhận", "; ".join(notice.cc) or None),
    ]
    for name, value in fields + intake_fields(notice):
        print(f"{name + ':':<18} {value if value else '-'}")
    print("Nội dung:")
    for line in _tree(notice.body, 1):
        print(line)
