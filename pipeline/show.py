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
    for name, value in fields:
        print(f"{name + ':':<18} {value if value else '-'}")
    print("Nội dung:")
    for line in _tree(notice.body, 1):
        print(line)
