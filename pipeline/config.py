"""Who sends the letters: the issuing body, its place, symbols, signer and Nơi nhận.

Read from `nhiemvu.toml` in the working folder, else beside the register, else from the documented
default bundled with the templates (`templates/nhiemvu.toml`). The CLI may override fields.
"""
from __future__ import annotations

import tomllib
import unicodedata
from pathlib import Path
from typing import Optional

from pydantic import BaseModel, Field, ValidationError, field_validator

import templates

BUNDLED = Path(templates.__file__).parent / "nhiemvu.toml"
LOCAL_NAME = "nhiemvu.toml"
AUTHORITIES = ("", "TM.", "KT.", "TL.", "TUQ.", "Q.")


class ConfigError(ValueError):
    """A configuration file that cannot be used; the message is one Vietnamese line."""


class SenderConfig(BaseModel):
    parent_lines: list[str] = Field(default_factory=list)
    issuer_lines: list[str] = Field(default_factory=lambda: ["ỦY BAN NHÂN DÂN"])
    issuer_name: str = "Ủy ban nhân dân xã"
    place: str = ""
    issuer_symbol: str = "UBND"
    drafting_symbol: str = "VP"
    authority: str = "TM."
    authority_body: str = "ỦY BAN NHÂN DÂN"
    signer_title: str = "CHỦ TỊCH"
    signer: str = ""
    cc: list[str] = Field(default_factory=list)
    report_to: str = "Ủy ban nhân dân xã"
    report_within_working_days: int = Field(default=5, ge=1, le=60)
    report_recipient: str = "Chủ tịch Ủy ban nhân dân xã"

    @field_validator("authority")
    @classmethod
    def _known_authority(cls, value: str) -> str:
        value = value.strip().upper()
        if value and not value.endswith("."):
            value += "."
        if value not in AUTHORITIES:
            raise ValueError(f"thẩm quyền ký '{value}' không hợp lệ (TM., KT., TL., TUQ. hoặc để trống)")
        return value

    @field_validator("parent_lines", "issuer_lines")
    @classmethod
    def _capitals(cls, lines: list[str]) -> list[str]:
        return [line.strip().upper() for line in lines if line.strip()]

    @property
    def authority_line(self) -> str:
        """'TM. ỦY BAN NHÂN DÂN' (tập thể), 'KT. CHỦ TỊCH' (cấp phó ký thay); empty when signing directly."""
        if not self.authority:
            return ""
        if self.authority == "TM.":
            return f"TM. {self.authority_body}"
        return f"{self.authority} {self.authority_body}"


class TrackingConfig(BaseModel):
    """How the register is watched: [tracking] in nhiemvu.toml."""

    # an open task due within this many days is flagged "sắp đến hạn" (exports, letters, dashboard)
    due_soon_days: int = Field(default=7, ge=0, le=90)


def find_config(register: Optional[Path] = None) -> Path:
    """./nhiemvu.toml, else the one beside the register (an office keeps both in one folder and may run
    the program from anywhere), else the bundled default."""
    candidates = [Path(LOCAL_NAME)]
    if register is not None:
        candidates.append(Path(register).absolute().parent / LOCAL_NAME)
    for candidate in candidates:
        if candidate.exists():  # a folder of that name is reported, not silently passed over
            return candidate
    return BUNDLED


def _read_toml(source: Path) -> dict:
    """UTF-8 as TOML requires; a file Notepad saved in the Vietnamese ANSI code page (cp1258) is read too."""
    try:
        raw = source.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{source}: không tìm thấy tệp cấu hình") from None
    except IsADirectoryError:
        raise ConfigError(f"{source}: là một thư mục, không phải tệp cấu hình; hãy đổi tên thư mục đó") from None
    except OSError as exc:
        raise ConfigError(f"{source}: không đọc được tệp cấu hình ({exc.strerror or exc})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = unicodedata.normalize("NFC", raw.decode("cp1258"))
        except UnicodeDecodeError:
            raise ConfigError(f"{source}: tệp cấu hình không đọc được bảng mã; hãy lưu lại với bảng mã UTF-8") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source}: tệp cấu hình sai cú pháp TOML ({exc})") from None


def _section(path: Optional[Path], name: str, register: Optional[Path] = None) -> tuple[Path, dict]:
    source = Path(path) if path else find_config(register)
    data = _read_toml(source).get(name, {})
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: mục [{name}] phải là một bảng (dòng '[{name}]' rồi các dòng 'khóa = giá trị'), "
                          f"không phải một giá trị đơn")
    return source, data


def _validated(model, source: Path, section: str, data: dict):
    try:
        return model(**data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        raise ConfigError(f"{source}: mục '{field}' trong [{section}] không hợp lệ: {first['msg']}") from None


def load_config(path: Optional[Path] = None, register: Optional[Path] = None, **overrides) -> SenderConfig:
    """The sender's configuration: `path`, else ./nhiemvu.toml, else the one beside `register`,
    else the bundled default."""
    source, data = _section(path, "sender", register)
    data.update({k: v for k, v in overrides.items() if v is not None})
    return _validated(SenderConfig, source, "sender", data)


def load_tracking(path: Optional[Path] = None, register: Optional[Path] = None) -> TrackingConfig:
    """[tracking] of `path`, else ./nhiemvu.toml, else the one beside `register`, else the bundled default."""
    source, data = _section(path, "tracking", register)
    return _validated(TrackingConfig, source, "tracking", data)
