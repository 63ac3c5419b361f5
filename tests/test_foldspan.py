"""The folded view used by the matchers: same key for spelling variants, spans back in the original."""
import unicodedata

import pytest

from extractors.foldspan import fold_phrase, fold_with_map

ROWS = [
    ("Văn hoá – Xã hội", "văn hoa - xa hôi"),
    ("Văn hóa - Xã hội", "văn hoa - xa hôi"),
    ("TRƯỚC NGÀY 10/7/2026", "trươc ngay 10/7/2026"),
    ("Thuỷ lợi\u00a0xã", "thuy lơi xa"),
]


@pytest.mark.parametrize("text,folded", ROWS)
def test_fold_keys(text, folded):
    assert fold_with_map(text).text == folded
    assert fold_with_map(unicodedata.normalize("NFD", text)).text == folded


def test_spans_map_back_through_decomposed_text():
    text = unicodedata.normalize("NFD", "Giao Phòng Văn hóa chủ trì")
    view = fold_with_map(text)
    start = view.text.index("phong van hoa".replace("van", "văn"))
    lo, hi = view.span(start, start + len("phong văn hoa"))
    assert unicodedata.normalize("NFC", text[lo:hi]) == "Phòng Văn hóa"


def test_cue_words_fold_like_text():
    assert fold_phrase("  Hằng   tháng ") == "hăng thang"
