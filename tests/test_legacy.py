"""Legacy font repair: TCVN3 (ABC) and VNI text back to Unicode, and no harm to clean text."""
import pytest

from extractors import legacy

PHRASES = [
    "Ủy ban nhân dân xã Nghi Dương",
    "Hải Phòng",
    "quyết định",
    "thuỷ lợi, hoá chất, Đắk Lắk",
    "giữ gìn trật tự an toàn giao thông",
    "khuyến khích nghiêng về phía người dân",
    "Phòng Văn hóa - Xã hội chủ trì, phối hợp với Công an xã",
    "ĐOÀN KẾT",
    "Ỷ",
]


@pytest.mark.parametrize("text", PHRASES)
@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_round_trip_and_detection(text, encoding):
    encoded = legacy.encode(text, encoding)
    assert encoded != text
    decoded = legacy.decode(encoded, encoding)
    if encoding == "tcvn3" and any(c.isupper() and c not in "ĂÂÊÔƠƯĐ" and not c.isascii() for c in text):
        # TCVN3 has no code for toned capitals: only whole capitalised words come back upper case
        assert decoded.lower() == text.lower()
    else:
        assert decoded == text
    if len(text) > 1:
        assert legacy.detect(encoded) == encoding


def test_short_strings_from_real_files():
    assert legacy.repair("H¶i Phßng") == ("Hải Phòng", "tcvn3")
    assert legacy.repair("uûy ban nhaân daân") == ("ủy ban nhân dân", "vni")
    assert legacy.repair("Thùc hiÖn")[0] == "Thực hiện"
    # VNI made only of letters Unicode also has: no syllable until converted
    assert legacy.repair("caùc") == ("các", "vni")
    assert legacy.repair("saùt sao") == ("sát sao", "vni")


@pytest.mark.parametrize("clean", [
    "Hà Nội", "Ủy ban nhân dân", "Ban Chỉ huy Quân sự xã", "naïve café résumé", "Hello world",
    "Về việc triển khai kế hoạch", "Ông Nguyễn Văn An", "Thời hạn: trước 30/6/2026", "ĐẢNG ỦY XÃ",
    "Số: 12/TB-UBND", "Cà Mau", "Bà Rịa", "À ồ", "Kính gửi: Các cơ quan, đơn vị",
])
def test_clean_text_is_left_alone(clean):
    assert legacy.detect(clean) is None
    assert legacy.repair(clean) == (clean, None)


def test_font_names_say_the_encoding():
    assert legacy.font_encoding(".VnTime") == "tcvn3"
    assert legacy.font_encoding(".VnArialH") == "tcvn3"
    assert legacy.is_upper_font(".VnTimeH") and not legacy.is_upper_font(".VnTime")
    assert legacy.font_encoding("VNI-Times") == "vni"
    assert legacy.font_encoding("Times New Roman") is None
    assert legacy.font_encoding(None) is None
