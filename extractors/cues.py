"""Cue words of task assignment (data/vi/cues.toml), loaded once, validated, compiled.

Every list the extractor reads is named here; the file may hold nothing else (a misspelt key is an
error, not a silently ignored list). Cues are written with their marks in the file and folded on load.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from extractors.textnorm import fold
from extractors.vocab import load

_DATA = Path(__file__).parent / "data" / "vi" / "cues.toml"


# ---------------------------------------------------------------- cue data
@dataclass(frozen=True)
class Cues:
    lead_in: re.Pattern  # "Giao", "Yêu cầu", "Đề nghị" opening a paragraph
    lead_in_inside: re.Pattern  # "... yêu cầu|đề nghị|giao <unit>" inside a sentence
    proposal: re.Pattern  # "tham mưu ... đề nghị X": the clause proposes, it does not direct X
    cited: re.Pattern  # "Luật ... giao X": a document's own assignment, cited
    sentence_lead_in: re.Pattern  # "[Đồng thời,] chỉ đạo Z ..." opening a sentence that names no unit before it
    titles: re.Pattern
    leader_directs: re.Pattern  # "ông X - Phó Chủ tịch UBND huyện chỉ đạo <unit>": a leader's direction
    person: re.Pattern
    about: re.Pattern
    recipients: re.Pattern
    recipients_bare: re.Pattern
    address: re.Pattern  # "các ông", "các ông ( bà )" before the people told
    lead_field: re.Pattern
    co_field: re.Pattern
    content_field: re.Pattern
    time_field: re.Pattern
    deadline_tail: re.Pattern
    co_role: re.Pattern
    roles: re.Pattern
    glued_role: re.Pattern  # "Môi trườngchủ trì": a role word typed without its space after a body's name
    verb: re.Pattern  # an action verb at the current position
    verb_anywhere: re.Pattern
    verb_in_names: re.Pattern
    opening: tuple[str, ...]  # folded
    opening_reference: re.Pattern
    directive_inside: re.Pattern
    section: tuple[str, ...]
    report_future: tuple[str, ...]
    past: re.Pattern
    future: re.Pattern  # "... sẽ ...": the writer's own intention
    past_letter: re.Pattern  # "đã có Công văn số ... đề nghị X": an earlier request told as background
    past_issued: re.Pattern
    issued_numbered: re.Pattern  # "... ban hành kết luận số 71-KL/TU": a document already issued
    schedule_opening: re.Pattern  # "từ ngày 5 đến ngày 10 hằng tháng, <subject> ...": a schedule before the subject
    received: re.Pattern  # a petition received and quoted: its requests are not directives
    closing: tuple[str, ...]
    closing_words: frozenset  # words of the closing formulae but those that name someone told ("thông báo để X")
    closing_start: tuple[str, ...]
    collective: re.Pattern
    unit_head: re.Pattern
    name_stop: re.Pattern  # "sẽ", "đã", "cần" ... after a body's name: the name has ended
    table: dict
    report_types: frozenset
    preamble: re.Pattern  # "Căn cứ Luật ...", "Xét đề nghị của ...": a decision's bases
    attachment: tuple[str, ...]  # folded titles of a document attached after the signature
    directive_opening: re.Pattern  # "Trên cơ sở ...," / "Theo đó," before a clause whose subject acts
    directive_section: tuple[str, ...]  # folded words of a heading over directives
    adjunct: re.Pattern  # "theo chức năng, nhiệm vụ được giao" between a body and its verb
    visit: re.Pattern  # "làm việc với <body>": the body a working visit's conclusions are for
    closing_addressee: re.Pattern  # "thông báo để <body> ... biết, thực hiện"


def _alternation(words) -> str:
    words = sorted({w.strip() for w in words if w.strip()}, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)


_REQUIRED = {"assign": ["lead_in", "lead_in_inside", "proposal", "cited", "address", "sentence_lead_in", "connectors", "titles", "person", "recipients", "recipients_bare", "about", "lead_field",
                        "co_field", "content_field", "time_field", "deadline_tail", "giao_compounds", "giao_before", "adjunct",
                        "visit", "closing_addressee", "list_introducer"],
             "roles": ["lead", "co"], "verbs": ["action", "in_names"],
             "skip": ["opening", "directive_inside", "section", "report_future", "past", "future", "schedule", "closing", "closing_start",
                      "directive_section", "attachment", "directive_openings"],
             "collective": ["heads"], "units": ["heads", "not_heads", "name_stops"], "table": ["index", "action", "lead", "co", "deadline"],
             "types": ["report"]}
_PATTERNS = [("skip", "opening_reference"), ("skip", "past_issued"), ("skip", "received"), ("skip", "preamble"),
             ("skip", "past_letter"), ("skip", "issued_numbered")]


_OPTIONAL = {"table": ["product"]}
# everything cues.toml may hold: the word lists, the patterns, the optional lists
SCHEMA = {section: frozenset(_REQUIRED.get(section, []) + [k for sec, k in _PATTERNS if sec == section]
                             + _OPTIONAL.get(section, []))
          for section in {*_REQUIRED, *(sec for sec, _ in _PATTERNS)}}


def _validate(d: dict) -> None:
    """Every list the extractor reads is there and holds words; every pattern compiles."""
    for section, keys in _REQUIRED.items():
        for key in keys:
            words = d.get(section, {}).get(key)
            if not words or not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
                raise ValueError(f"{_DATA.name}: mục [{section}].{key} phải là danh sách từ, không rỗng")
    for section, key in _PATTERNS:
        try:
            re.compile(d[section][key])
        except (KeyError, TypeError, re.error) as exc:
            raise ValueError(f"{_DATA.name}: mẫu [{section}].{key} thiếu hoặc sai ({exc})") from exc


@lru_cache(maxsize=1)
def cues() -> Cues:
    d = load(_DATA.name, SCHEMA)  # no section or key the extractor does not read
    _validate(d)
    a, s = d["assign"], d["skip"]
    verbs = _alternation(d["verbs"]["action"])
    flags = re.IGNORECASE
    # "giao" as "to assign", not in "giao ban", "giao thông", "bàn giao", "được giao"
    not_giao = (rf"(?<!{_lookbehind_words(a['giao_before'])})"
                rf"(?!giao\s+(?-i:{_alternation(a['giao_compounds'])})(?![\wÀ-ỹ]))")  # "Giao Ban Quản lý" assigns
    return Cues(
        lead_in=re.compile(rf"^{not_giao}(?:{_alternation(a['lead_in'])})(?:\s+cho)?(?:\s*:\s*|\s+)", flags),
        sentence_lead_in=re.compile(rf"^(?:(?:{_alternation(a['connectors'])})\s*,?\s+)?"
                                    rf"(?:{_alternation(a['sentence_lead_in'])})\s+(?=\S)", flags),
        lead_in_inside=re.compile(rf"(?:^|[\s,;(]){not_giao}(?:{_alternation(a['lead_in_inside'])})(?:\s+cho)?\s+(?=\S)", flags),
        proposal=re.compile(rf"(?<![\wÀ-ỹ])(?:{_alternation(a['proposal'])})(?![\wÀ-ỹ])", flags),
        cited=re.compile(rf"\s*(?:và\s+)?(?:{_alternation(a['cited'])})(?![\wÀ-ỹ])", flags),
        titles=re.compile(rf"^(?:{_alternation(a['titles'])})(?:\s*:\s*|\s+)(?=\S)", flags),
        leader_directs=re.compile(rf"(?<![\wÀ-ỹ])(?:{_alternation(a['titles'] + a['person'])})(?![\wÀ-ỹ])"
                                  rf"(?P<gap>[^.;:]{{0,120}}?)\s(?:(?:{_alternation(a['connectors'])})\s*,?\s+)?"
                                  rf"(?:{_alternation(a['sentence_lead_in'])})\s+(?=\S)", flags),
        person=re.compile(rf"^(?:{_alternation(a['person'])})\s+(?=\S)", flags),
        address=re.compile(rf"^(?:{_alternation(a['address'])})\s+(?=\S)", flags),
        about=re.compile(rf"^(?:{_alternation(a['about'])})\s+(?=\S)", flags),
        recipients=re.compile(rf"^(?:{_alternation(a['recipients'])})\b", flags),
        recipients_bare=re.compile(rf"^(?:{_alternation(a['recipients_bare'])})(?=\s+(?:{verbs})(?![\wÀ-ỹ]))", flags),
        lead_field=re.compile(rf"^(?:{_alternation(a['lead_field'])})\s*:\s*", flags),
        co_field=re.compile(rf"^(?:{_alternation(a['co_field'])})\s*:\s*", flags),
        content_field=re.compile(rf"^(?:{_alternation(a['content_field'])})\s*:\s*", flags),
        time_field=re.compile(rf"^(?:{_alternation(a['time_field'])})\s*:?\s*", flags),
        deadline_tail=re.compile(rf"^(?:{_alternation([fold(w) for w in a['deadline_tail']])})(?![\wÀ-ỹ])"),  # on fold()
        co_role=re.compile(rf"(?:{_alternation(d['roles']['co'])})\s+", flags),
        roles=re.compile(rf"^(?:{_alternation(d['roles']['lead'] + d['roles']['co'])})$", flags),
        glued_role=re.compile(rf"(?<=[a-zà-ỹđ])(?:{_alternation(d['roles']['lead'] + d['roles']['co'])})(?![\wÀ-ỹ])"),
        verb=re.compile(rf"^(?:{verbs})(?![\wÀ-ỹ])", flags),
        verb_anywhere=re.compile(rf"(?<![\wÀ-ỹ])(?:{verbs})(?![\wÀ-ỹ])", flags),
        verb_in_names=re.compile(rf"^(?:{_alternation(d['verbs']['in_names'])})$", flags),
        opening=tuple(fold(x) for x in s["opening"]),
        opening_reference=re.compile(s["opening_reference"], flags),
        directive_inside=re.compile(rf"(?<![\wÀ-ỹ]){not_giao}(?:{_alternation(s['directive_inside'])})(?![\wÀ-ỹ])", flags),
        section=tuple(fold(x) for x in s["section"]),
        report_future=tuple(fold(x) for x in s["report_future"]),
        past=re.compile(rf"(?<![\wÀ-ỹ])(?:{_alternation(s['past'])})(?![\wÀ-ỹ])", flags),
        past_issued=re.compile(s["past_issued"], flags),
        issued_numbered=re.compile(s["issued_numbered"], flags),
        schedule_opening=re.compile(rf"^[^,;.]{{0,80}}?(?<![\wÀ-ỹ])(?:{_alternation(s['schedule'])})\s*,", flags),
        future=re.compile(rf"(?<![\wÀ-ỹ])(?:{_alternation(s['future'])})(?![\wÀ-ỹ])", flags),
        past_letter=re.compile(s["past_letter"], flags),
        received=re.compile(s["received"], flags),
        closing=tuple(fold(x) for x in s["closing"]),
        closing_words=frozenset(w for x in s["closing"] for w in fold(x).split())
        - {fold(w) for w in ("thông", "báo", "để", "đến", "cho", "các", "đơn", "vị")},
        closing_start=tuple(fold(x) for x in s["closing_start"]),
        collective=re.compile(rf"^(?!(?:tất cả\s+)?các\s+(?:{_alternation(d['units']['not_heads'])})(?![\wÀ-ỹ]))"
                              rf"(?:{_alternation(d['collective']['heads'])})(?![\wÀ-ỹ])", flags),
        unit_head=re.compile(rf"^(?!(?:{_alternation(d['units']['not_heads'])})(?![\wÀ-ỹ]))"
                             rf"(?:{_alternation(d['units']['heads'])})(?![\wÀ-ỹ])", flags),
        name_stop=re.compile(rf"(?<![\wÀ-ỹ])(?:{_alternation(d['units']['name_stops'])})(?![\wÀ-ỹ])"),
        table={k: tuple(fold(x) for x in v) for k, v in d["table"].items()},
        report_types=frozenset(d["types"]["report"]),
        preamble=re.compile(s["preamble"], flags),
        attachment=tuple(fold(x) for x in s["attachment"]),
        directive_opening=re.compile(rf"^(?:{_alternation(s['directive_openings'])})(?![\wÀ-ỹ])", flags),
        directive_section=tuple(fold(x) for x in s["directive_section"]),
        adjunct=re.compile(rf"^,?\s*(?:{_alternation(a['adjunct'])})(?![\wÀ-ỹ])", flags),
        visit=re.compile(rf"(?<![\wÀ-ỹ])(?:{_alternation(a['visit'])})\s+", flags),
        closing_addressee=re.compile(rf"(?<![\wÀ-ỹ])(?:{_alternation(a['closing_addressee'])})\s+", flags),
    )


def _lookbehind_words(words) -> str:
    # fixed-width look-behinds, one per word: "(?<!bàn )(?<!được )"
    return ")(?<!".join(re.escape(w) + r"\s" for w in words)


def starts(folded: str, prefixes) -> bool:
    return any(folded == p or folded.startswith(p + " ") for p in prefixes)
