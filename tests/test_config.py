"""The sender's configuration: bundled default, a local file, overrides, clear errors."""
from __future__ import annotations

import pytest

from pipeline.config import BUNDLED, ConfigError, SenderConfig, load_config


def test_bundled_default_loads(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no ./nhiemvu.toml here
    config = load_config()
    assert BUNDLED.is_file()
    assert config.issuer_lines and config.authority in ("TM.", "KT.", "TL.", "TUQ.", "")
    assert config.report_within_working_days >= 1


def test_local_file_is_preferred_and_overrides_win(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "nhiemvu.toml").write_text(
        '[sender]\nissuer_lines = ["Ủy ban nhân dân", "xã Quỳnh Đôi"]\nplace = "Quỳnh Đôi"\n'
        'authority = "kt"\nauthority_body = "CHỦ TỊCH"\nsigner_title = "PHÓ CHỦ TỊCH"\n', encoding="utf-8")
    config = load_config(signer="Hồ Văn Nam")
    assert config.issuer_lines == ["ỦY BAN NHÂN DÂN", "XÃ QUỲNH ĐÔI"]
    assert config.authority == "KT." and config.authority_line == "KT. CHỦ TỊCH"
    assert config.place == "Quỳnh Đôi" and config.signer == "Hồ Văn Nam"


@pytest.mark.parametrize("content, words", [
    ('[sender]\nauthority = "XYZ"\n', "authority"),
    ('[sender\nplace = 1', "TOML"),
    ('[sender]\nreport_within_working_days = 0\n', "report_within_working_days"),
])
def test_bad_file_gives_one_vietnamese_line(tmp_path, content, words):
    path = tmp_path / "cau-hinh.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert "cau-hinh.toml" in message and words in message and "\n" not in message


def test_missing_file_is_named(tmp_path):
    with pytest.raises(ConfigError, match="không tìm thấy"):
        load_config(tmp_path / "khong-co.toml")


def test_direct_signing_has_no_authority_line():
    assert SenderConfig(authority="").authority_line == ""
