"""The unit registry: which bodies a notice names and what the register calls them.

Names come from data/vi/units.toml (and a commune's own files). Matching walks a trie of
folded words, so spelling variants ("Văn hoá"/"Văn hóa", "HĐND&UBND"/"HĐND - UBND",
"Ủy ban nhân dân"/"UBND") meet the same unit, and a trailing level word with its place
("Công an xã Nghi Dương") belongs to the mention. Spans point into the original text.
"""
from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional, Sequence

from extractors.foldspan import fold_phrase, fold_with_map
from extractors.textnorm import clean

_DATA = Path(__file__).parent / "data" / "vi" / "units.toml"
_LEVELS = ("commune", "district", "province")
_WORD = re.compile(r"\w+")
# What may stand between two words of one name: spaces, "-", "&", ",", "/" ("HĐND - UBND", "Kinh tế, Hạ tầng").
_SOFT_GAP = re.compile(r"[\s,\-&/+]*(?:va[\s,\-&/+]+)*")
_ROLE_NOTE = re.compile(r"\s*\([^()]*\)\s*$")
_END = ""  # trie key of the entry that ends at a node


@dataclass(frozen=True)
class UnitMention:
    start: int
    end: int
    text: str
    canonical: str
    known: bool
    collective: bool


@dataclass(frozen=True)
class _Entry:
    canonical: str
    level: str  # home level: its own level word is dropped from the name
    keep_level: bool  # the level word is part of the name ("Công an xã")
    collective: bool
    group: bool  # a collective shape (all units or a particular group): takes tails
    pattern_head: bool  # "UBND" + level + place
    capital: bool = False  # a unit only when written with a capital ("Thanh tra", not "thanh tra, kiểm tra")


@dataclass
class _Tokens:
    """The words of a folded text ("ủy ban nhân dân" merged into "ubnd", "và" left out) and their offsets."""

    folded: str
    words: list[str]
    starts: list[int]
    ends: list[int]

    def soft(self, j: int) -> bool:
        """Only spaces, dashes, commas, "&" or "và" since the word before: both may belong to one name."""
        return j == 0 or _SOFT_GAP.fullmatch(self.folded, self.ends[j - 1], self.starts[j]) is not None

    def spaced(self, j: int) -> bool:
        """Only spaces since the word before: the word may continue a place name."""
        return j == 0 or not self.folded[self.ends[j - 1]:self.starts[j]].strip()


class UnitRegistry:
    """Known units, collective shapes and the rules that clean an unknown name."""

    def __init__(self, tables: Sequence[dict]):
        self._trie: dict = {}
        self._localities: dict[tuple[str, ...], set[str]] = {}  # folded level words → levels
        self._tails: list[tuple[str, ...]] = []
        self._leading: list[str] = []
        self._collective_canonical = "Các phòng chuyên môn, đơn vị"
        self._collective_heads: tuple[str, ...] = ()
        self._collective_nouns: tuple[str, ...] = ()
        self._merges: list[tuple[tuple[str, ...], str]] = []
        self._merge_first: dict[str, list] = {}
        self._capital: set[tuple[str, ...]] = set()
        self._keep: set[tuple[str, ...]] = set()
        for index, table in enumerate(tables):
            self._load(table, own=index > 0)
        self._locality_first: dict[str, list] = {}
        for words, levels in sorted(self._localities.items(), key=lambda kv: -len(kv[0])):
            self._locality_first.setdefault(words[0], []).append((words, levels))

    # ------------------------------------------------------------ loading
    @classmethod
    def default(cls, extra_files: Sequence[Path] = ()) -> "UnitRegistry":
        """The bundled units, then a commune's own files: `extra_files`, else those named in
        the environment variable NHIEMVU_UNITS (paths separated by the system's path separator)."""
        return _cached_registry(tuple(Path(p).resolve() for p in (extra_files or commune_unit_files())))

    @classmethod
    def from_files(cls, paths: Sequence[Path]) -> "UnitRegistry":
        tables = []
        for path in paths:
            try:
                table = tomllib.loads(Path(path).read_text(encoding="utf-8"))
            except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
                raise ValueError(f"{path}: không đọc được danh mục đơn vị ({exc})") from exc
            problem = _schema_problem(table)
            if problem:
                raise ValueError(f"{Path(path).name}: danh mục đơn vị sai cấu trúc: {problem}")
            tables.append(table)
        return cls(tables)

    def _load(self, table: dict, own: bool = False) -> None:
        """Add one file's units; a commune's own file (`own`) wins over the bundled names."""
        patterns = table.get("patterns", {})
        for head, short in patterns.get("heads", {}).items():
            self._merges.append((self._words(head, merge=False), fold_phrase(short)))
        self._merges.sort(key=lambda m: -len(m[0]))
        self._merge_first = {}
        for words, short in self._merges:
            if len(words) > 1:
                self._merge_first.setdefault(words[0], []).append((words, short))
        locality = table.get("locality", {})
        for level in _LEVELS:
            for word in locality.get(level, []):
                self._localities.setdefault(self._words(word), set()).add(level)
        self._keep |= {self._words(k) for k in locality.get("keep", [])}
        heads = {self._words(h) for h in patterns.get("heads", {})}
        self._capital |= {self._words(n) for n in table.get("ambiguous", {}).get("capitalised", [])}
        for level in _LEVELS:
            for name, aliases in table.get(level, {}).get("units", {}).items():
                key = self._words(name)
                entry = _Entry(clean(name), level, key in self._keep, False, False, key in heads, key in self._capital)
                for alias in [name, *aliases]:
                    self._add(alias, entry, overwrite=own)
        self._load_collective(table.get("collective", {}))
        self._leading += [fold_phrase(w) for w in table.get("clean", {}).get("leading", [])]
        self._leading.sort(key=len, reverse=True)

    def _load_collective(self, coll: dict) -> None:
        if not coll:
            return
        self._collective_canonical = clean(coll.get("canonical", self._collective_canonical))
        everyone = _Entry(self._collective_canonical, "commune", False, True, True, False)
        for shape in coll.get("all_units", []):
            self._add(shape, everyone, overwrite=True)
        for name, aliases in coll.get("groups", {}).items():
            entry = _Entry(clean(name), "commune", False, False, True, False)
            for alias in [name, *aliases]:
                self._add(alias, entry, overwrite=True)
        self._tails += [self._words(t) for t in coll.get("tails", {}).get("words", [])]
        self._tails.sort(key=len, reverse=True)
        self._collective_heads += tuple(fold_phrase(h) for h in coll.get("heads", []))
        self._collective_nouns += tuple(fold_phrase(n) for n in coll.get("nouns", []))

    def _add(self, alias: str, entry: _Entry, overwrite: bool) -> None:
        words = self._words(alias)
        if not words:
            raise ValueError(f"units.toml: tên đơn vị rỗng ({entry.canonical!r})")
        node = self._trie
        for word in words:
            node = node.setdefault(word, {})
        if overwrite or _END not in node:
            node[_END] = entry

    def _words(self, phrase: str, merge: bool = True) -> tuple[str, ...]:
        return tuple(self._tokens(fold_with_map(clean(phrase)).text, merge).words)

    # ------------------------------------------------------------ tokens
    def _tokens(self, folded: str, merge: bool = True) -> _Tokens:
        spans = [m.span() for m in _WORD.finditer(folded)]
        words = [folded[s:e] for s, e in spans]
        if "va" in words:  # "HĐND và UBND" = "HĐND - UBND" = "HĐND&UBND"
            spans = [span for span, word in zip(spans, words) if word != "va"]
            words = [word for word in words if word != "va"]
        tokens = _Tokens(folded, words, [s for s, _ in spans], [e for _, e in spans])
        if merge and not self._merge_first.keys().isdisjoint(words):
            tokens = self._merged(tokens)
        return tokens

    def _merged(self, t: _Tokens) -> _Tokens:
        """"ủy ban nhân dân" → one word "ubnd", so both spellings meet in the trie."""
        out, i = _Tokens(t.folded, [], [], []), 0
        while i < len(t.words):
            n, word = 1, t.words[i]
            for words, short in self._merge_first.get(t.words[i], ()):
                if tuple(t.words[i:i + len(words)]) == words:
                    n, word = len(words), short
                    break
            out.words.append(word)
            out.starts.append(t.starts[i])
            out.ends.append(t.ends[i + n - 1])
            i += n
        return out

    # ------------------------------------------------------------ matching
    def _match_at(self, t: _Tokens, i: int) -> Optional[tuple[int, _Entry]]:
        """Longest entry starting at word i: (index after it, entry)."""
        node, best, words = self._trie, None, t.words
        for j in range(i, len(words)):
            node = node.get(words[j]) if j == i or t.soft(j) else None
            if node is None:
                break
            if _END in node:
                best = (j + 1, node[_END])
        return best

    def _extend(self, text: str, folded, t: _Tokens, j: int, entry: _Entry) -> tuple[int, Optional[str], list[int]]:
        """Swallow a collective's tail and a level word with its place: (end index, level word, place words)."""
        words = t.words
        while entry.group and j < len(words):
            tail = next((tail for tail in self._tails if tuple(words[j:j + len(tail)]) == tail
                         and all(t.soft(k) for k in range(j, j + len(tail)))), None)
            if tail is None:
                break
            j += len(tail)
        level_word, place = None, []
        for level_words, _levels in self._locality_first.get(words[j] if j < len(words) else None, ()):
            if tuple(words[j:j + len(level_words)]) == level_words and all(t.spaced(k) for k in range(j, j + len(level_words))):
                level_word, j = " ".join(level_words), j + len(level_words)
                while j < len(words) and len(place) < 4 and self._is_place_word(text, folded, t, j):
                    place.append(j)
                    j += 1
                break
        return j, level_word, place

    def _is_place_word(self, text: str, folded, t: _Tokens, j: int) -> bool:
        first = text[folded.span(t.starts[j], t.starts[j] + 1)[0]]
        return t.spaced(j) and (first.isupper() or t.words[j].isdigit()) and self._match_at(t, j) is None

    def _mention(self, text: str, folded, t: _Tokens, i: int) -> Optional[UnitMention]:
        found = self._match_at(t, i)
        if not found:
            return None
        j, entry = found
        if entry.capital and not self._written_as_name(text, folded, t, i, j):
            return None
        end_before_level = j
        j, level_word, place = self._extend(text, folded, t, j, entry)
        start, end = folded.span(t.starts[i], t.ends[j - 1])
        canonical = self._canonical_of(entry, text, folded, t, level_word, place, i, end_before_level)
        return UnitMention(start, end, text[start:end], canonical, True, entry.collective)

    @staticmethod
    def _written_as_name(text: str, folded, t: _Tokens, i: int, j: int) -> bool:
        """"Thanh tra huyện", "BHXH", not "thanh tra, kiểm tra" nor the heading "THANH TRA, KIỂM TRA"."""
        lo, hi = folded.span(t.starts[i], t.ends[j - 1])
        written = text[lo:hi]
        return written[:1].isupper() and not (j - i > 1 and written.isupper())

    def _canonical_of(self, entry: _Entry, text, folded, t: _Tokens, level_word, place, i: int, j: int) -> str:
        """Canonical name of the words i..j (j: the level word, if any, then the place)."""
        if level_word is None or entry.group:
            return entry.canonical
        levels = self._localities[tuple(level_word.split())]
        if entry.level in levels and not entry.keep_level and not entry.pattern_head:
            return entry.canonical  # "Sở Y tế tỉnh" → "Sở Y tế"
        last = place[-1] if (entry.pattern_head and place) else j + len(level_word.split()) - 1
        if entry.keep_level or entry.pattern_head:  # "Công an xã", "UBND huyện Nghi Lộc"
            lo, hi = folded.span(t.starts[j], t.ends[last])
            suffix = _prose_locality(clean(text[lo:hi]).replace("\n", " "), len(level_word.split()))
            return f"{entry.canonical} {suffix}"
        # a unit of another level ("Văn phòng UBND thành phố"): as written, through its level word
        lo, hi = folded.span(t.starts[i], t.ends[last])
        return clean(text[lo:hi]).replace("\n", " ")

    def find(self, text: str) -> list[UnitMention]:
        """Known unit mentions, longest first, not overlapping, spans in `text`."""
        folded = fold_with_map(text)
        t = self._tokens(folded.text)
        words, root = t.words, self._trie
        found, i, n = [], 0, len(words)
        while i < n:
            mention = self._mention(text, folded, t, i) if words[i] in root else None
            if mention:
                found.append(mention)
                while i < n and folded.span(t.starts[i], t.ends[i])[0] < mention.end:
                    i += 1
            else:
                i += 1
        return found

    def match_prefix(self, text: str) -> Optional[UnitMention]:
        """The longest known unit starting at the start of `text` (after spaces)."""
        folded = fold_with_map(text)
        t = self._tokens(folded.text)
        if not t.words or text[:folded.span(t.starts[0], t.ends[0])[0]].strip():
            return None
        return self._mention(text, folded, t, 0)

    # ------------------------------------------------------------ names
    def _strip(self, name: str) -> str:
        name = clean(name).replace("\n", " ").strip(" \t,;:.-–+•*")
        name = _ROLE_NOTE.sub("", name).strip(" ,;:.")  # "Phòng Kinh tế (chủ trì)"
        while True:
            lowered = fold_with_map(name).text
            # "Giao Phòng Kinh tế" → "Phòng Kinh tế", but "Giao thông ..." stays: names start with a capital
            lead = next((w for w in self._leading if lowered.startswith(w + " ")
                         and name[len(w) + 1:].lstrip()[:1].isupper()), None)
            if not lead:
                break
            name = name[len(lead) + 1:].lstrip()
        return re.sub(r"\s*-\s*", " - ", name) if re.search(r"\s-|-\s", name) else name

    def lookup(self, name: str) -> Optional[str]:
        """The canonical name if `name` is a known unit (the whole of it)."""
        cleaned = self._strip(name)
        mention = self.match_prefix(cleaned)
        if mention and not cleaned[mention.end:].strip(" ,;:.()"):
            return mention.canonical
        return None

    def canonical(self, name: str) -> str:
        """The registry's name for `name`, else the name cleaned and kept as written."""
        cleaned = self._strip(name)
        known = self.lookup(cleaned)
        if known:
            return known
        if self.is_collective(cleaned):
            return self._collective_canonical
        return cleaned

    def is_collective(self, name: str) -> bool:
        """True for an assignee meaning all units ("Các phòng chuyên môn, đơn vị", "các đơn vị liên quan")."""
        cleaned = self._strip(name)
        mention = self.match_prefix(cleaned)
        if mention and mention.collective and not cleaned[mention.end:].strip(" ,;:.()"):
            return True
        if mention and not mention.collective:
            return False
        folded = fold_with_map(cleaned).text
        for head in self._collective_heads:
            if folded.startswith(head + " "):
                rest = folded[len(head) + 1:]
                return any(rest.startswith(noun + " ") or rest == noun or rest.startswith(noun + ",")
                           for noun in self._collective_nouns)
        return False


def _prose_locality(words: str, n_level: int) -> str:
    """'PHƯỜNG AN HÒA' or 'phường An Hòa' → 'phường An Hòa': level word lower, place words capitalised."""
    parts = words.split()
    level = [w.lower() for w in parts[:n_level]]
    place = [w[:1].upper() + w[1:].lower() if w.isupper() else w for w in parts[n_level:]]
    return " ".join(level + place)


def commune_unit_files() -> list[Path]:
    """The commune's own units files named in NHIEMVU_UNITS (for a fingerprint of what extraction reads)."""
    return [Path(p) for p in os.environ.get("NHIEMVU_UNITS", "").split(os.pathsep) if p.strip()]


def _is_names(value) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)


def _schema_problem(table: dict) -> Optional[str]:
    """What is wrong with a units file, in the officer's words; None when it is well formed."""
    known = {"locality", "patterns", "collective", "ambiguous", "clean", *_LEVELS}
    for key in table:
        if key not in known:
            return f"mục [{key}] không được hỗ trợ (chỉ có: {', '.join(sorted(known))})"
    for level in _LEVELS:
        for name, aliases in table.get(level, {}).get("units", {}).items():
            if not name.strip() or not _is_names(aliases):
                return f"[{level}.units] \"{name}\" phải là một danh sách tên gọi khác"
    for key in ("all_units",):
        if key in table.get("collective", {}) and not _is_names(table["collective"][key]):
            return f"[collective] {key} phải là danh sách tên"
    for name, aliases in table.get("collective", {}).get("groups", {}).items():
        if not _is_names(aliases):
            return f"[collective.groups] \"{name}\" phải là một danh sách tên gọi khác"
    for key, value in table.get("locality", {}).items():
        if not _is_names(value):
            return f"[locality] {key} phải là danh sách tên"
    return None


@lru_cache(maxsize=8)
def _cached_registry(extra: tuple[Path, ...]) -> UnitRegistry:
    return UnitRegistry.from_files([_DATA, *extra])
