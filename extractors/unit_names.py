"""Where a unit's (or person's) name starts and ends inside a sentence.

The registry knows canonical names; notices write longer or unknown ones ("Ban Quản lý dự án số 2",
"Hạt Kiểm lâm ..."), so a name is cut before the first action verb, a colon or semicolon,
a preposition, or another body's name; the POS tagger is asked only for an unknown capitalised body
after "Giao". All boundary rules live here.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

from extractors.assignment_context import Env
from extractors.textnorm import clean, is_upper_heading
from extractors.units import UnitRegistry


@lru_cache(maxsize=1)
def registry() -> UnitRegistry:
    return UnitRegistry.default()


@lru_cache(maxsize=4096)
def _match_prefix(text: str):
    # the same sentence start is asked about several times (lead-in, heading, sentence split)
    return registry().match_prefix(text)


def unit_list(env: Env, text: str) -> list[str]:
    """Units named one after another at the start of `text` ("Phòng A, Phòng B và các đơn vị liên quan")."""
    names, pos = [], 0
    while pos < len(text):
        got = unit_at(env, text, pos, allow_pos=False)
        if not got:
            break
        names.append(got[0])
        pos = got[1]
        m = re.match(r"\s*(?:,|;|và|với)\s*", text[pos:])
        if not m:
            break
        pos += m.end()
    return names


def unit_at(env: Env, text: str, pos: int, allow_pos: bool) -> Optional[tuple[str, int]]:
    """The unit (or person) named at text[pos:]: its canonical name and where the name ends.
    `allow_pos`: after "Giao", an unknown capitalised body may be cut out by the POS tagger."""
    c = env.cues
    pos += len(text[pos:]) - len(text[pos:].lstrip())
    rest = text[pos:]
    m = c.recipients_bare.match(rest)
    if m and env.recipients_lead:  # "Yêu cầu các đồng chí sắp xếp ...": the people in Kính gửi
        return env.recipients_lead.assignee, pos + m.end()
    m = c.address.match(rest)
    if m and (got := unit_at(env, text, pos + m.end(), allow_pos=False)):
        return got  # "các ông xóm trưởng" → the hamlet heads; "Các ông ( bà ) bí thư chi bộ" → the chi bộ
    m = c.person.match(rest)
    if m and (person := _person_name(env, rest[m.end():])):
        return person[0], pos + m.end() + person[1]
    m = c.recipients.match(rest)
    if m:  # "Quý cơ quan" = the bodies in Kính gửi
        return (env.recipients_lead.assignee if env.recipients_lead else clean(m.group(0))), pos + m.end()
    m = c.titles.match(rest)
    if m and (got := unit_at(env, text, pos + m.end(), allow_pos=False)):
        return got  # "Giám đốc Sở Y tế" → Sở Y tế; "Chủ tịch UBND huyện X" → UBND huyện X
    m = _LOCALITY.match(rest)
    if m:  # "đề nghị xã Hòa Chính cần ...": a locality named to act is its People's Committee
        return env.units.canonical("UBND " + m.group(0)[:1].lower() + m.group(0)[1:]), pos + m.end()
    m = _COUNT.match(rest)
    if m and (got := unit_at(env, text, pos + m.end(), allow_pos=False)):
        return _one_line(rest[:got[1] - pos]), got[1]  # "18 Tổ dân phố", "05 xã vùng cao": the bodies counted
    if c.collective.match(rest) and (end := _phrase_end(env, rest)):
        return _one_line(rest[:end]), pos + end  # a group is kept as written (a hard wrap is a space)
    got = _known_unit(env, rest) or _headed_unit(env, rest, allow_pos and pos > 0)
    if got:
        return got[0], pos + got[1]
    if allow_pos and pos > 0 and rest[:1].isupper() and not is_upper_heading(rest.split("\n")[0][:60]):
        # (a heading in capitals, "PHÂN CÔNG NHIỆM VỤ", names no body: no need to load the tagger)
        got = _tagged_unit(env, rest)
        return (got[0], pos + got[1]) if got else None
    return None


def _one_line(name: str) -> str:
    return re.sub(r"\s+", " ", clean(name))


_LOCALITY = re.compile(r"(?i:xã|phường|thị trấn|huyện|quận|thị xã|tỉnh|thành phố)\s+"
                       r"(?:\d{1,2}(?![\d/])|[A-ZĐÀÁẢÃẠÂẦẤẨẪẬĂẰẮẲẴẶÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ][\wÀ-ỹ]*"
                       r"(?:\s+[A-ZĐÀÁẢÃẠÂẦẤẨẪẬĂẰẮẲẴẶÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ][\wÀ-ỹ]*)*)")
_COUNT = re.compile(r"\d{1,3}\s+(?=[^\W\d_])")
_NAME_SPAN = 160  # no body's name is longer; the registry need not read the whole paragraph


def _known_unit(env: Env, rest: str) -> Optional[tuple[str, int]]:
    """A name the registry knows, or the longer name written around it."""
    mention = _match_prefix(rest[:_NAME_SPAN])
    if not mention or mention.end <= 0:
        return None
    end = _mention_end(rest, mention.end)
    longer = _phrase_end(env, rest, verbs_in_names=False)  # a known name is not lengthened by a verb
    tail = rest[longer:].lstrip()
    verb_next = bool(env.cues.verb.match(tail)) and not tail.startswith(",")
    if end < longer and _extends_name(rest[end:longer], verb_next):
        # "Phòng Nông nghiệp" is known, "Phòng Nông nghiệp và Môi trường" is what is written
        return env.units.canonical(rest[:longer]), longer
    return mention.canonical, end


def _headed_unit(env: Env, rest: str, may_tag: bool) -> Optional[tuple[str, int]]:
    """An unknown name opening with a body's head noun ("Ban ...", "Hợp tác xã ..."), cut before its verb."""
    if not env.cues.unit_head.match(rest):
        return None
    end = _phrase_end(env, rest)
    sentence_end = len(re.split(r"[.;:]", rest, maxsplit=1)[0].rstrip())
    words = len(rest[:end].split())
    swallowed = end >= sentence_end - 3 and words > 8  # the verb was missed: let the tagger find it
    if end and not (swallowed and may_tag) and words <= 14:
        return env.units.canonical(rest[:end]), end
    return None


def _tagged_unit(env: Env, rest: str) -> Optional[tuple[str, int]]:
    """An unknown body after "Giao" ("Giao Hạt Kiểm lâm ..."): the noun phrase before the first verb."""
    if env.cues.collective.match(rest):
        return None
    from extractors.nlp import noun_phrase_before_verb

    phrase = noun_phrase_before_verb(re.split(r"[.;:]", rest, maxsplit=1)[0])
    if phrase and len(phrase.split()) <= 12 and rest.startswith(phrase.split()[0]):
        end = _locate_phrase(rest, phrase)
        if end:
            return env.units.canonical(rest[:end]), end
    return None


_NOT_IN_NAMES = re.compile(r"(?i)(?<![\wÀ-ỹ])(?:về|trong|tại|cho|của|với|để|theo|nhằm|đối với|đến ngày)(?![\wÀ-ỹ])")


def _mention_end(rest: str, end: int) -> int:
    # a name never runs over a colon or semicolon ("Trạm Y tế phường: Chủ trì ...")
    m = re.search(r"\s*[:;]", rest[:end])
    return m.start() if m else end


_LOCALITY_WORD = re.compile(r"(?i)^(?:và\s+)?(?:các\s+)?(?:huyện|xã|phường|tỉnh|thị trấn|quận|thành phố|thị xã)\b")


def _extends_name(extra: str, verb_next: bool = False) -> bool:
    """Words after a known name that still belong to it: "và Môi trường", "các huyện, thị xã, thành phố"."""
    words = extra.split()
    if not 0 < len(words) <= 8 or _NOT_IN_NAMES.search(extra) or re.search(r"[:;.]", extra):
        return False
    if re.search(r"\ssố\s+\d+$", extra.rstrip()):  # "... dự án số 2": a numbered body's name
        return True
    parts = [p.strip() for p in extra.split(",")]
    if re.search(r"(?i)(?<![\wÀ-ỹ])(?:các|và (?:phòng|văn phòng|trung tâm|công an|trạm|ban|đài|sở|ubnd|ủy ban))(?![\wÀ-ỹ])",
                 extra) and not _LOCALITY_WORD.match(parts[0]):
        return False  # "Phòng A và các đơn vị liên quan", "Phòng A và Phòng B": two names, not one
    if len(parts) > 1:
        return all(_LOCALITY_WORD.match(p) for p in parts[1:])
    # beyond a known name, lower-case words are the action ("Phòng Kinh tế | kiểm kê ...") unless the
    # extension is a proper name ("và Môi trường", "- Xã hội") or ends at a locality ("đầu tư xây dựng huyện")
    first = re.sub(r"^(?:và|-|&)\s+", "", extra.strip())
    if verb_next and len(words) <= 2:  # "Chi cục Thuế khu vực | phối hợp ...": a short tail right before the verb
        return True
    return first[:1].isupper() or bool(re.search(r"(?i)(?<![\wÀ-ỹ])(?:huyện|xã|phường|tỉnh|thị trấn|quận|thành phố|thị xã)"
                                                 r"(?:\s+(?:-\s+)?" + _CAP + r")*\s*$", extra.strip()))


def _locate_phrase(rest: str, phrase: str) -> int:
    # pos_tag joins syllables of a word with spaces or underscores: map back by syllable count
    syllables = len(phrase.replace("_", " ").split())
    m = re.match(r"(?:\S+\s+){%d}" % (syllables - 1) + r"\S+", rest)
    return len(m.group(0).rstrip(",;:")) if m else 0


def _phrase_end(env: Env, rest: str, verbs_in_names: bool = True) -> int:
    """Where a unit's noun phrase ends: before the first action verb, ':' or end of clause."""
    stop = len(rest)
    m = re.search(r"[:;.(]", rest)
    if m:
        stop = m.start()
    m = env.cues.glued_role.search(rest, 0, stop)  # "Sở Tài nguyên và Môi trườngchủ trì, ...": a missing space
    if m:
        stop = m.start()
    m = env.cues.name_stop.search(rest, 1, stop)  # "Đoàn | sẽ kiểm tra ...": a tense word ends the name
    if m:
        stop = m.start()
    p = _NOT_IN_NAMES.search(rest, 1, stop)  # "các phòng chuyên môn trong việc ...": a preposition ends it
    if p and rest[p.start()].islower():
        stop = p.start()
    # a group's own head words are its name, not its verb: "các tổ chức chính trị - xã hội"
    group = env.cues.collective.match(rest)
    # a capitalised verb inside a name is part of it: "Sở Xây dựng", "Ban Quản lý dự án"
    for v in iter_verbs(env, rest, stop):
        if group and v.start() < group.end():
            continue
        if _listed_noun(rest, v):
            continue  # "các cơ quan, tổ chức có liên quan": "tổ chức" is a noun in a list
        if rest[v.start()].islower() and not _LOCALITY_AFTER.match(rest, v.end()) \
                and not (verbs_in_names and _verb_in_name(env, rest, v)) \
                and not (env.cues.verb_in_names.match(v.group(0)) and _NUMBERED.match(rest, v.end())):
            stop = v.start()
            break
    if not env.cues.collective.match(rest):
        # "Phòng A, Phòng B" / "Mặt trận Tổ quốc và các đoàn thể": a comma or "và" before another body's name
        # (a head noun written with its capital, or "các", "UBND") closes this one
        for m in _JOINER.finditer(rest, 0, stop):
            nxt = rest[m.end():]
            if re.match(r"(?i)(?:các|ubnd|ủy ban|uỷ ban)\s", nxt) or (nxt[:1].isupper() and env.cues.unit_head.match(nxt)) \
                    or env.cues.titles.match(nxt):  # "chi bộ, trưởng các thôn": a title opens the next one
                stop = m.start()
                break
    if not env.cues.collective.match(rest):
        # a proper name closes the body's name: "Hợp tác xã Thành Công | thu gom rác thải"
        # (a body's name inside another's is not a proper name: "Văn phòng Sở Y tế", "Văn phòng Ban Chỉ đạo")
        m = _PROPER_THEN_LOWER.search(rest, 0, stop)
        if m and not env.cues.unit_head.match(m.group(1)):
            stop = m.end(1)
    name = rest[:stop].rstrip(" ,")
    return len(re.sub(r"\s+(?:và|hoặc)$", "", name).rstrip(" ,"))  # "Phòng A và | tổ chức ...": no dangling "và"


_JOINER = re.compile(r"\s*,\s*|\s+và\s+")
_CAP = r"[A-ZĐÀÁẢÃẠÂẦẤẨẪẬĂẰẮẲẴẶÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ][\wÀ-ỹ]*"
_PROPER_THEN_LOWER = re.compile(
    rf"\s({_CAP}(?:\s+{_CAP})+)(?=\s+(?!(?:và|huyện|xã|phường|tỉnh|thị trấn|quận|thành phố|thị xã|cũ|mới)(?![\wÀ-ỹ]))"
    r"[a-zđà-ỹ])")


# "Ban Quản lý dự án đầu tư xây dựng huyện": a verb followed closely by a locality word is inside the name
_LOCALITY_AFTER = re.compile(r"(?i)\s+(?:huyện|xã|phường|tỉnh|thị trấn|quận|thành phố|thị xã)(?![\wÀ-ỹ])")


_NUMBERED = re.compile(r"\s+số\s+\d+\b")


_LISTED_AFTER = re.compile(r"\s*(?:,|;|và\b|có liên quan\b|liên quan\b|$)")


def _listed_noun(rest: str, v: re.Match) -> bool:
    i = v.start() - 1
    while i >= 0 and rest[i].isspace():  # look back from the verb, not over the whole prefix (linear time)
        i -= 1
    listed = i >= 0 and (rest[i] == "," or (rest[i - 1:i + 1] == "và" and (i < 2 or rest[i - 2].isspace())))
    return listed and bool(_LISTED_AFTER.match(rest, v.end()))  # "..., tổ chức có liên quan", "... và tổ chức, ..."


def _verb_in_name(env: Env, rest: str, v: re.Match) -> bool:
    """"Trung tâm Dịch vụ tổng hợp chuẩn bị ...": a verb that names bodies' work ("tổng hợp", "xây dựng")
    right before another verb is part of the name."""
    if not env.cues.verb_in_names.match(v.group(0)):
        return False
    if _NUMBERED.match(rest, v.end()):  # "Ban Quản lý dự án số 2": a numbered body
        return True
    return bool(env.cues.verb.match(rest[v.end():].lstrip(" "))) and not rest[v.end():].lstrip(" ").startswith(",")


_PASSIVE_BEFORE = re.compile(r"(?i)(?:được|đã|bị)\s+$")
_BODY_NOUN_BEFORE = re.compile(r"(?i)(?:đơn vị|cơ quan|bộ phận)\s+$")


def _word_before(pattern: re.Pattern, text: str, end: int) -> bool:
    """`pattern` (a word, then spaces to the end) matches just before `end`. Only the words next to
    `end` are searched: a search over the whole prefix made long paragraphs cost quadratic time."""
    start = end
    while start > 0 and text[start - 1].isspace():
        start -= 1
    return pattern.search(text, max(0, start - 16), end) is not None


def iter_verbs(env: Env, rest: str, stop: int):
    c = env.cues
    hits = [m for m in c.verb_anywhere.finditer(rest, 1, stop)] + [m for m in c.directive_inside.finditer(rest, 1, stop)]
    # "đơn vị được giao nhiệm vụ", "được phân công": a passive verb belongs to the noun phrase
    hits = [m for m in hits if not _word_before(_PASSIVE_BEFORE, rest, m.start())]
    # "các đơn vị chủ trì", "cơ quan phối hợp": a role after a body's noun names the body
    hits = [m for m in hits if not (_word_before(_BODY_NOUN_BEFORE, rest, m.start())
                                    and env.cues.roles.match(m.group(0)))]
    return sorted(hits, key=lambda m: m.start())


_NAME_WORD = r"[A-ZĐÀÁẢÃẠÂẦẤẨẪẬĂẰẮẲẴẶÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ][a-zà-ỹđ]+"
_PERSON = re.compile(rf"{_NAME_WORD}(?:\s+{_NAME_WORD}){{1,4}}")


def _person_name(env: Env, rest: str) -> Optional[tuple[str, int]]:
    """"Lưu Thị Tươi - Phó Chủ tịch UBND xã chủ trì ..." → ("Lưu Thị Tươi", end of the title);
    "Phó Chủ tịch UBND xã Trần Văn B chỉ đạo ..." → the name after the title; with no name, the title."""
    t = env.cues.titles.match(rest)
    if t:
        stop = _first_verb(env, rest, t.end())
        m = _PERSON.search(rest, t.end(), stop)
        if not m:
            title = rest[:stop].strip(" ,-")
            return (clean(title), stop) if title else None
        return m.group(0), m.end()
    m = _PERSON.match(rest)
    if m:
        name, end = m.group(0), m.end()
    else:  # lower-cased or unusual names: the CRF NER
        from extractors.nlp import person_names

        names = person_names(rest[:80])
        if not names or not rest.startswith(names[0].split()[0]):
            return None
        name = names[0]
        end = len(name)
    title = re.match(r"\s*[-,]\s*", rest[end:])  # "- Phó Chủ tịch UBND xã" up to the verb
    if title:
        end = _first_verb(env, rest, end + title.end())
    return name, end


def _first_verb(env: Env, text: str, start: int) -> int:
    stop = len(text)
    m = re.search(r"[:;.(,]", text[start:])
    if m:
        stop = start + m.start()
    for v in env.cues.verb_anywhere.finditer(text, start, stop):
        if text[v.start()].islower():
            return v.start()
    return stop
