"""Who a sentence assigns: the lead unit named in it (at its start, after "Giao"/"yêu cầu", after an
opening clause, in brackets), its co-leads and co-operating units ("A, B chủ trì, phối hợp với C")."""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Optional

from extractors.assignment_context import Env, Lead
from extractors.textnorm import fold
from extractors.unit_names import iter_verbs, unit_at, unit_list


def agent_after_opening(env: Env, text: str) -> Optional[tuple[Lead, int, int]]:
    """"Trên cơ sở đề nghị của UBND các huyện, Sở Xây dựng chủ trì, phối hợp ... lập Đề án": after the
    opening clause, a body in the agent role followed by its (not past) work verb."""
    found = _agent_after_opening(env, text)
    return None if found is None or is_issuer(env, found[0]) else found


def issuer_acts_after_opening(env: Env, text: str) -> bool:
    """"Căn cứ đề xuất ..., Bộ trưởng Bộ X đồng ý mở rộng ...": the issuing body's own act after the opening."""
    found = _agent_after_opening(env, text)
    return found is not None and is_issuer(env, found[0])


def _agent_after_opening(env: Env, text: str) -> Optional[tuple[Lead, int, int]]:
    for comma in re.finditer(r",\s*|\s+thì\s+", text[:400]):  # "Trường hợp ..., thì UBND xã có trách nhiệm ..."
        if text.count("(", 0, comma.start()) > text.count(")", 0, comma.start()):
            continue  # "(phòng Tư pháp, phòng Văn hóa, ...)": a list in brackets names partners, not the agent
        rest = text[comma.end():]
        got = unit_at(env, rest, 0, allow_pos=False)
        if not got:
            continue
        found = with_roles(env, rest, *got)
        after = after_adjunct(env, rest[found[2]:].lstrip())
        if env.cues.verb.match(after) and not env.cues.lead_in.match(after):
            lead, action_at, names_end = found
            return lead, comma.end() + action_at, comma.end() + names_end
    return None


def is_issuer(env: Env, lead: Lead) -> bool:
    """"Thực hiện ..., Phòng GD&ĐT tổ chức Hội nghị ...": the issuing body telling of its own work."""
    issuer = env.issuer_lead.assignee if env.issuer_lead else ""
    name = fold(env.units.canonical(lead.assignee))
    return bool(issuer) and bool(name) and fold(issuer).startswith(name)


# ---------------------------------------------------------------- who
_GROUP = re.compile(r"(?i)^(?:tất cả\s+)?các\s+\S")


def group_heading(env: Env, text: str) -> Optional[tuple[Lead, int, int]]:
    """A short heading naming a group of bodies ("3. Các bệnh viện", "Các trường học:")."""
    name = text.strip().rstrip(":. ")
    if _GROUP.match(name) and len(name.split()) <= 8 and not iter_verbs(env, name, len(name)):
        return Lead(env.units.canonical(name)), len(text), len(text)
    return None


_REPORTED = re.compile(r"(?i)(?<![\wÀ-ỹ])(?:đã|vừa|từng|của|ý kiến)(?![\wÀ-ỹ])")


def lead_of(env: Env, text: str, allow_pos: bool = False) -> Optional[tuple[Lead, int, int]]:
    """The lead a paragraph names for itself, where its action starts, and where the names end."""
    c = env.cues
    text = text.strip()
    m = c.lead_in.match(text)
    if m:
        # only "Giao X ..." is sure to name a body next ("Yêu cầu các nhiệm vụ phải ..." does not)
        handing = fold(m.group(0)).split()[-1] in ("giao", "cho", "công")
        got = unit_at(env, text, m.end(), allow_pos=allow_pos and handing)
        if got:
            return with_roles(env, text, *got)
    about = c.about.match(text)  # "Đối với Phòng Kinh tế: ..."
    got = unit_at(env, text, about.end() if about else 0, allow_pos=False)
    if got:
        found = with_roles(env, text, *got)  # "Sở A; UBND các huyện tiếp tục ...": every body named first
        after = after_adjunct(env, text[found[2]:].lstrip())
        if after.startswith(":") or c.verb.match(after) or not after:
            return found
    # "Để ..., Chủ tịch UBND xã yêu cầu các phòng chuyên môn tập trung ..."; "UBND tỉnh yêu cầu X ...";
    # "(Giao Công an tỉnh chủ trì, ...)" closing an item
    for m in c.lead_in_inside.finditer(text, 0, 1500):
        if m.start() > 0 and (_proposed(env, text, m.start()) or own_requirement(env, text, m.start())
                              or _cited(env, text, m.start())):
            continue  # "Phối hợp Ban X tham mưu Thường trực đề nghị UBND thành phố ...": the unit proposes
        got = unit_at(env, text, m.end(), allow_pos=False)
        if got:
            lead, action_at, names_end = with_roles(env, text, *got)
            return (replace(lead, how="inside") if m.start() > 0 else lead), action_at, names_end
    # "..., ông X - Phó Chủ tịch UBND huyện chỉ đạo Phòng Y phối hợp ... hướng dẫn ...": a leader directs Y
    for m in c.leader_directs.finditer(text, 0, 1500):
        gap, before = m.group("gap").strip(), text[max(0, m.start() - 30):m.start()]
        if not gap or gap.endswith(",") or _REPORTED.search(gap) or _REPORTED.search(before):
            continue  # "UBND xã đã tập trung lãnh đạo, chỉ đạo ...", "ý kiến của Phó Chủ tịch ...": not a direction now
        got = unit_at(env, text, m.end(), allow_pos=False)
        if got:
            lead, action_at, names_end = with_roles(env, text, *got)
            if c.verb.match(after_adjunct(env, text[names_end:].lstrip(" ,;"))):  # "... chỉ đạo X về việc ...": no work named
                return replace(lead, how="inside"), action_at, names_end
    if env.cues.directive_opening.match(text) or env.cues.schedule_opening.match(text):
        return agent_after_opening(env, text)
    return None


def own_requirement(env: Env, text: str, cue_at: int) -> bool:
    """"...; yêu cầu X ..." continuing, after a semicolon and in lower case, a clause that tells no one
    (no "Giao"/"yêu cầu"/"đề nghị" before it): what the acting unit is to require of X, not a new task."""
    cue_at += len(text[cue_at:]) - len(text[cue_at:].lstrip(" ;,("))
    before = text[:cue_at].rstrip()
    # after a comma only inside a clause that opens with the unit's own verb ("Phối hợp ... rà soát, yêu cầu X"):
    # "Qua kiểm tra, yêu cầu X ..." is the issuer's direction
    joined = before.endswith(";") or (before.endswith(",") and bool(env.cues.verb.match(text.lstrip())))
    return joined and bool(_REQUIRES.match(text, cue_at)) and not env.cues.directive_inside.search(text, 0, len(before))


_REQUIRES = re.compile(r"(?:yêu cầu|đề nghị)\s")  # lower case: "...; giao X ..." is still the issuer deciding


def _cited(env: Env, text: str, cue_at: int) -> bool:
    """"Luật ... và Nghị định số 06/2022/NĐ-CP ... giao Bộ Tài chính chủ trì ...": a document the clause opens
    with is the one that assigns (cited as background)."""
    clause_start = max(text.rfind(p, 0, cue_at + 1) for p in ";:(") + 1
    sentence = max(clause_start, text.rfind(". ", 0, cue_at + 1) + 2 if ". " in text[:cue_at + 1] else 0)
    return bool(env.cues.cited.match(text, sentence))


def _proposed(env: Env, text: str, cue_at: int) -> bool:
    """An advising verb earlier in the same clause ("... tham mưu Thường trực HĐND đề nghị UBND ...")."""
    clause_start = max(text.rfind(p, 0, cue_at + 1) for p in ",;.:(") + 1  # "(Giao X chủ trì)" is an aside of its own
    return bool(env.cues.proposal.search(text, clause_start, cue_at))


def after_adjunct(env: Env, after: str) -> str:
    """Skip "theo chức năng, nhiệm vụ được giao" between a body and its verb, up to the first verb."""
    if not env.cues.adjunct.match(after):
        return after
    for v in env.cues.verb_anywhere.finditer(after, 0, 200):
        if after[v.start()].islower() and not re.search(r"(?i)(?:được|đã)\s+$", after[:v.start()]):
            return after[v.start():]
    return after


def with_roles(env: Env, text: str, name: str, end: int) -> tuple[Lead, int, int]:
    """Split "X, Y chủ trì, phối hợp với Z, W: ..." into the lead and co-operating units."""
    c = env.cues
    leads = [name]
    rest = text[end:]
    # several leads: "Giao Sở A, Sở B, Đài C phối hợp ..." → the first leads, the rest co-operate
    while True:
        m = re.match(r"\s*(?:,|và|;)\s*", rest)
        if not m:
            break
        got = unit_at(env, rest, m.end(), allow_pos=False)
        if not got:
            break
        leads.append(got[0])
        end += got[1]
        rest = text[end:]
    leads = _share_locality(leads)
    name = leads[0]
    co = list(leads[1:])
    m = c.co_role.search(text, end, min(len(text), end + 120))
    if m and m.start() - end < 60:
        co.extend(x for x in unit_list(env, text[m.end():]) if x not in co and x != name)
    # the action starts after "X:" / "Giao X chủ trì:"; otherwise the sentence is kept whole,
    # since where an unknown name ends is a guess and the action must not lose words
    action_at = 0
    role = re.match(r"\s*(?:chủ trì|thực hiện|là đơn vị chủ trì)?\s*:\s*", text[end:], re.IGNORECASE)
    if role:
        action_at = end + role.end()
    return Lead(name, tuple(co)), action_at, end


_BARE_COUNCIL = re.compile(r"(?i)^(?:hđnd|ubnd|hội đồng nhân dân|ủy ban nhân dân|uỷ ban nhân dân)$")
_LOCALITY_SUFFIX = re.compile(r"(?i)\s((?:các\s+)?(?:tỉnh|thành phố|huyện|quận|thị xã|xã|phường|thị trấn|cấp tỉnh|cấp huyện|cấp xã)"
                              r"(?![\wÀ-ỹ]).*)$")


def _share_locality(leads: list[str]) -> list[str]:
    """"Hội đồng nhân dân, Ủy ban nhân dân các tỉnh, thành phố": the locality written once after the last
    body belongs to each bare council before it."""
    if len(leads) < 2 or not _BARE_COUNCIL.match(leads[0].strip()):
        return leads
    m = _LOCALITY_SUFFIX.search(leads[1])
    return [f"{leads[0].strip()} {m.group(1)}" if m else leads[0]] + leads[1:]


_LEAD_ROLE_START = re.compile(r"(?i)^(?:là đơn vị |là cơ quan )?chủ trì\s*,?\s*")


def co_at_start(env: Env, action: str) -> list[str]:
    """Co-operating units the task's own words name: "Chủ trì, phối hợp với X, Y ...",
    "...; đồng thời phối hợp với Z xây dựng ..."."""
    for co in env.cues.co_role.finditer(action):
        if not re.search(r"(?i)\s(?:với|cùng)\s*$", co.group(0)) and not _LEAD_ROLE_START.match(action):
            continue  # a bare "phối hợp" names its partners only right after "chủ trì"
        names = unit_list(env, action[co.end():])
        if names:
            return names
    return []
