"""Unit registry: spellings, abbreviations, level words, collectives, spans, a commune's own file."""
import unicodedata

import pytest

from extractors.units import UnitRegistry


@pytest.fixture(scope="module")
def units():
    return UnitRegistry.default()


KNOWN = [
    ("Văn phòng HĐND và UBND", "Văn phòng HĐND và UBND"),
    ("Văn phòng HĐND&UBND xã", "Văn phòng HĐND và UBND"),
    ("Văn phòng HĐND - UBND phường", "Văn phòng HĐND và UBND"),
    ("Văn phòng Hội đồng nhân dân và Ủy ban nhân dân xã", "Văn phòng HĐND và UBND"),
    ("Phòng Văn hoá – Xã hội", "Phòng Văn hóa - Xã hội"),
    ("Phòng VH-XH", "Phòng Văn hóa - Xã hội"),
    ("phòng Văn hóa và Xã hội xã Nghi Dương", "Phòng Văn hóa - Xã hội"),
    ("Phòng Kinh tế", "Phòng Kinh tế"),
    ("Phòng Kinh tế, Hạ tầng và Đô thị phường", "Phòng Kinh tế, Hạ tầng và Đô thị"),
    ("Trung tâm phục vụ HCC", "Trung tâm Phục vụ hành chính công"),
    ("TT DVSNC", "Trung tâm Dịch vụ sự nghiệp công"),
    ("Công an xã", "Công an xã"),
    ("Công an phường Hồng Bàng", "Công an phường"),
    ("Trạm Y tế xã", "Trạm Y tế xã"),
    ("Sở TT&TT", "Sở Thông tin và Truyền thông"),
    ("Sở Thông tin và Truyền thông tỉnh Nghệ An", "Sở Thông tin và Truyền thông"),
    ("Sở KH&CN", "Sở Khoa học và Công nghệ"),
    ("Sở Văn hóa, Thể thao và Du lịch", "Sở Văn hóa, Thể thao và Du lịch"),
    ("UBND phường Hồng Bàng", "UBND phường Hồng Bàng"),
    ("Ủy ban nhân dân huyện Nghi Lộc", "UBND huyện Nghi Lộc"),
    ("Uỷ ban nhân dân xã", "UBND xã"),
    ("Văn phòng HĐND và UBND huyện", "Văn phòng HĐND và UBND huyện"),
    ("Văn phòng UBND thành phố", "Văn phòng UBND thành phố"),  # another level: kept as written
    ("Sở Y tế tỉnh Quảng Trị", "Sở Y tế"),
    ("- Phòng Văn hóa - Xã hội (chủ trì);", "Phòng Văn hóa - Xã hội"),
]


def test_a_name_does_not_run_over_punctuation(units):
    found = units.find("Giao Văn phòng HĐND và UBND xã: Chủ trì tham mưu. UBND xã. Hoàn thành trước ngày 10/7.")
    assert [m.text for m in found] == ["Văn phòng HĐND và UBND xã", "UBND xã"]
    assert units.find("báo cáo UBND thành phố - Trưởng Ban Chỉ đạo")[0].canonical == "UBND thành phố"


@pytest.mark.parametrize("written,canonical", KNOWN)
def test_known_units(units, written, canonical):
    assert units.lookup(written) == canonical
    assert units.canonical(written) == canonical


def test_longest_match_wins(units):
    mention = units.match_prefix("Văn phòng HĐND và UBND xã tham mưu tổ chức hội nghị")
    assert mention.canonical == "Văn phòng HĐND và UBND"
    assert mention.text == "Văn phòng HĐND và UBND xã"


def test_find_spans_in_the_original_text(units):
    text = "Giao Văn phòng HĐND&UBND xã phối hợp với Phòng Văn hoá - Xã hội, Công an xã và Trạm Y tế xã Nghi Dương triển khai."
    for form in ("NFC", "NFD"):
        written = unicodedata.normalize(form, text)
        found = units.find(written)
        assert [m.canonical for m in found] == [
            "Văn phòng HĐND và UBND", "Phòng Văn hóa - Xã hội", "Công an xã", "Trạm Y tế xã"]
        for m in found:
            assert written[m.start:m.end] == m.text
        assert unicodedata.normalize("NFC", found[-1].text) == "Trạm Y tế xã Nghi Dương"


COLLECTIVE = [
    "Các phòng chuyên môn, đơn vị",
    "Các bộ phận chuyên môn",
    "Các phòng, ban, đơn vị",
    "Các cơ quan, đơn vị",
    "các đơn vị liên quan",
    "Thủ trưởng các cơ quan, đơn vị",
    "Tất cả các phòng chuyên môn, đơn vị",
    "Các phòng chuyên môn, đơn vị thuộc UBND xã",
    "Trưởng các phòng, ban và đơn vị sự nghiệp",
]


@pytest.mark.parametrize("written", COLLECTIVE)
def test_collective_assignees(units, written):
    assert units.is_collective(written)
    assert units.canonical(written) == "Các phòng chuyên môn, đơn vị"


GROUPS = [("Các trường học", "Các trường học"),
          ("Hiệu trưởng các trường Mầm non, Tiểu học, THCS trên địa bàn", "Các trường học"), ("Các công chức chuyên môn", "Các công chức chuyên môn"),
          ("các thôn, tổ dân phố", "Các thôn, tổ dân phố")]


@pytest.mark.parametrize("written,canonical", GROUPS)
def test_particular_groups_are_not_all_units(units, written, canonical):
    assert not units.is_collective(written)
    assert units.canonical(written) == canonical


def test_everyday_words_are_units_only_with_a_capital(units):
    assert units.find("Tăng cường thanh tra, kiểm tra việc chấp hành pháp luật") == []
    assert units.find("III. THANH TRA, KIỂM TRA") == []
    assert units.find("vận động người dân tham gia bảo hiểm xã hội tự nguyện") == []
    assert [m.canonical for m in units.find("phối hợp với BHXH huyện")] == ["Bảo hiểm xã hội huyện"]
    assert [m.canonical for m in units.find("Thanh tra huyện phối hợp kiểm tra")] == ["Thanh tra huyện"]


def test_a_field_of_work_is_not_a_unit(units):
    assert units.match_prefix("VĂN HÓA - XÃ HỘI") is None
    assert units.match_prefix("Tư pháp - Hộ tịch") is None
    assert units.lookup("Công chức Tư pháp - Hộ tịch xã") == "Công chức Tư pháp - Hộ tịch"


def test_a_single_unit_is_not_collective(units):
    assert not units.is_collective("Phòng Kinh tế")
    assert not units.find("Tăng cường tuyên truyền, vận động nhân dân tham gia.")
    assert not units.find("Xử lý nghiêm các trường hợp vi phạm.")


UNKNOWN = [
    ("Giao Ban quản lý dự án đầu tư xây dựng khu vực 2:", "Ban quản lý dự án đầu tư xây dựng khu vực 2"),
    ("đồng chí Nguyễn Văn Hùng, ", "Nguyễn Văn Hùng"),
    ("  Hợp tác xã   Dịch vụ nông nghiệp Tân Hương.", "Hợp tác xã Dịch vụ nông nghiệp Tân Hương"),
    ("Ban Quản lý chợ–Tân Lập;", "Ban Quản lý chợ–Tân Lập".replace("–", "-")),
    ("Giao thông vận tải cơ sở", "Giao thông vận tải cơ sở"),  # "Giao" of a word, not "to assign"
    ("giao cho Tổ dân phố số 3", "Tổ dân phố số 3"),
    ("Tổ công nghệ số cộng đồng (chủ trì);", "Tổ công nghệ số cộng đồng"),
]


@pytest.mark.parametrize("written,canonical", UNKNOWN)
def test_unknown_names_are_cleaned_and_kept(units, written, canonical):
    assert units.canonical(written) == canonical


def test_a_commune_adds_its_own_units(tmp_path):
    extra = tmp_path / "units_xa.toml"
    extra.write_text('[commune.units]\n"Tổ bảo vệ an ninh trật tự cơ sở" = ["Tổ BVANTT", "Tổ bảo vệ ANTT"]\n',
                     encoding="utf-8")
    own = UnitRegistry.default(extra_files=[extra])
    assert own.lookup("Tổ bảo vệ ANTT xã") == "Tổ bảo vệ an ninh trật tự cơ sở"
    assert own.lookup("Phòng VH-XH") == "Phòng Văn hóa - Xã hội"  # the bundled units stay
    assert UnitRegistry.default().lookup("Tổ BVANTT") is None


def test_the_communes_own_name_wins(tmp_path):
    extra = tmp_path / "units_phuong.toml"
    extra.write_text('[commune.units]\n"Phòng Kinh tế, Hạ tầng và Đô thị" = ["Phòng Kinh tế"]\n', encoding="utf-8")
    assert UnitRegistry.default(extra_files=[extra]).lookup("Phòng Kinh tế") == "Phòng Kinh tế, Hạ tầng và Đô thị"


def test_a_commune_file_named_in_the_environment(tmp_path, monkeypatch):
    extra = tmp_path / "don_vi_xa.toml"
    extra.write_text('[commune.units]\n"Tổ tuần tra nhân dân" = ["Tổ tuần tra"]\n', encoding="utf-8")
    monkeypatch.setenv("NHIEMVU_UNITS", str(extra))
    assert UnitRegistry.default().lookup("Tổ tuần tra") == "Tổ tuần tra nhân dân"
    monkeypatch.delenv("NHIEMVU_UNITS")
    assert UnitRegistry.default().lookup("Tổ tuần tra") is None


def test_a_broken_extra_file_says_which(tmp_path):
    extra = tmp_path / "hong.toml"
    extra.write_text("[commune.units\n", encoding="utf-8")
    with pytest.raises(ValueError, match="hong.toml"):
        UnitRegistry.default(extra_files=[extra])


def test_a_malformed_extra_file_is_refused_with_its_reason(tmp_path):
    extra = tmp_path / "units_sai.toml"
    extra.write_text('[commune.units]\n"Tổ công tác" = "Tổ CT"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="units_sai.toml.*Tổ công tác"):
        UnitRegistry.default(extra_files=[extra])


@pytest.mark.parametrize("written, canonical", [
    ("ỦY BAN NHÂN DÂN PHƯỜNG AN HÒA", "UBND phường An Hòa"),
    ("UBND XÃ QUỲNH ĐÔI", "UBND xã Quỳnh Đôi"),
])
def test_all_caps_locality_is_written_as_prose(written, canonical):
    assert UnitRegistry.default().canonical(written) == canonical
