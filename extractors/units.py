"""The unit registry: which bodies a notice names and what the register calls them.

Names come from data/vi/units.toml (and a commune's own files). Matching walks a trie of
folded words, so spelling variants ("Văn hoá"/"Văn hóa", "HĐND&UBND"/"HĐND - UBND",
"Ủy ban nhân dân"/"UBND") meet the same unit, and a trailing level word with its place
("Công an xã Nghi Dương") belongs to the mention. Spans point into the original text.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple, Optional, Sequence

from extractors.foldspan import fold_phrase, fold_with_map
from extractors.textnorm import clean

_DATA = Path(__file__).parent / "data" / "vi" / "units.toml"
_LEVELS = ("commune", "district", "province")
_WORD = re.compile(r"\w+")
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


class _Token(NamedTuple):
    word: str  # folded, "ủy ban nhân dân" merged into "ubnd"
    start: int  # folded offsets
    end: int
    upper: bool  # written with a capital (a place name word)


class UnitRegistry:
    """Known units, collective shapes and the rules that clean an unknown name."""

    def __init__(self, tables: Sequence[dict]):
        self._trie: dict = {}
        self._localities: dict[tuple[str, ...], str] = {}  # folded level words → level
        self._tails: list[tuple[str, ...]] = []
        self._leading: list[str] = []
        self._collective_canonical = "Các phòng chuyên môn, đơn vị"
        self._collective_heads: tuple[str, ...] = ()
        self._collective_nouns: tuple[str, ...] = ()
        self._merges: list[tuple[tuple[str, ...], str]] = []
        self._merge_first: dict[str, list] = {}
        for table in tables:
            self._load(table)
        self._locality_first: dict[str, list] = {}
        for words, level in sorted(self._localities.items(), key=lambda kv: -len(kv[0])):
            self._locality_first.setdefault(words[0], []).append((words, level))

    # ------------------------------------------------------------ loading
    @classmethod
    def default(cls, extra_files: Sequence[Path] = ()) -> "UnitRegistry":
        return _cached_registry(tuple(Path(p).resolve() for p in extra_files))

    @classmethod
    def from_files(cls, paths: Sequence[Path]) -> "UnitRegistry":
        tables = []
        for path in paths:
            try:
                tables.append(tomllib.loads(Path(path).read_text(encoding="utf-8")))
            except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
                raise ValueError(f"{path}: không đọc được danh mục đơn vị ({exc})") from exc
        return cls(tables)

    def _load(self, table: dict) -> None:
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
                self._localities.setdefault(self._words(word), level)
        keep = {self._words(k) for k in locality.get("keep", [])} | getattr(self, "_keep", set())
        self._keep = keep
        heads = {self._words(h) for h in patterns.get("heads", {})}
        for level in _LEVELS:
            for name, aliases in table.get(level, {}).get("units", {}).items():
                key = self._words(name)
                entry = _Entry(clean(name), level, key in keep, False, False, key in heads)
                for alias in [name, *aliases]:
                    self._add(alias, entry, overwrite=False)
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
        tokens = self._tokens(fold_with_map(clean(phrase)).text, phrase, merge)
        return tuple(t.word for t in tokens)

    # ------------------------------------------------------------ tokens
    def _tokens(self, folded: str, original: str, merge: bool = True) -> list[_Token]:
        tokens = [_Token(m.group(), m.start(), m.end(), False) for m in _WORD.finditer(folded) if m.group() != "va"]
        return self._merged(tokens) if merge else tokens

    def _merged(self, tokens: list[_Token]) -> list[_Token]:
        """"ủy ban nhân dân" → one word "ubnd", so both spellings meet in the trie."""
        if not any(t.word in self._merge_first for t in tokens):
            return tokens
        out, i = [], 0
        while i < len(tokens):
            for words, short in self._merge_first.get(tokens[i].word, ()):
                n = len(words)
                if tuple(t.word for t in tokens[i:i + n]) == words:
                    out.append(_Token(short, tokens[i].start, tokens[i + n - 1].end, False))
                    i += n
                    break
            else:
                out.append(tokens[i])
                i += 1
        return out

    def _text_tokens(self, text: str):
        folded = fold_with_map(text)
        tokens = self._tokens(folded.text, text)
        if folded.starts is None:
            tokens = [t._replace(upper=text[t.start].isupper() or t.word.isdigit()) for t in tokens]
        else:
            tokens = [t._replace(upper=text[folded.starts[t.start]].isupper() or t.word.isdigit()) for t in tokens]
        return folded, tokens

    # ------------------------------------------------------------ matching
    def _match_at(self, tokens: list[_Token], i: int) -> Optional[tuple[int, _Entry]]:
        """Longest entry starting at token i: (index after it, entry)."""
        node, best = self._trie, None
        for j in range(i, len(tokens)):
            node = node.get(tokens[j].word)
            if node is None:
                break
            if _END in node:
                best = (j + 1, node[_END])
        return best

    def _extend(self, tokens: list[_Token], j: int, entry: _Entry) -> tuple[int, Optional[str], list[int]]:
        """Swallow a collective's tail and a level word with its place: (end index, level word, place tokens)."""
        if entry.group and j < len(tokens):
            for tail in self._tails:
                if tuple(t.word for t in tokens[j:j + len(tail)]) == tail:
                    j += len(tail)
                    break
        level_word, place = None, []
        first = tokens[j].word if j < len(tokens) else None
        for words, level in self._locality_first.get(first, ()):
            if tuple(t.word for t in tokens[j:j + len(words)]) == words:
                level_word, j = " ".join(words), j + len(words)
                while j < len(tokens) and len(place) < 4 and tokens[j].upper and self._match_at(tokens, j) is None:
                    place.append(j)
                    j += 1
                break
        return j, level_word, place

    def _mention(self, text: str, folded, tokens: list[_Token], i: int) -> Optional[UnitMention]:
        found = self._match_at(tokens, i)
        if not found:
            return None
        j, entry = found
        end_before_level = j
        j, level_word, place = self._extend(tokens, j, entry)
        start, end = folded.span(tokens[i].start, tokens[j - 1].end)
        written = text[start:end]
        canonical = self._canonical_of(entry, text, folded, tokens, level_word, place, end_before_level)
        return UnitMention(start, end, written, canonical, True, entry.collective)

    def _canonical_of(self, entry: _Entry, text, folded, tokens, level_word, place, j) -> str:
        if level_word is None or entry.group:
            return entry.canonical
        level = self._localities[tuple(level_word.split())]
        if not entry.keep_level and not entry.pattern_head and level == entry.level:
            return entry.canonical
        # the level word (and for UBND/HĐND the place) as written
        lo = folded.span(tokens[j].start, tokens[j].end)[0]
        hi_token = place[-1] if (entry.pattern_head and place) else j + len(level_word.split()) - 1
        hi = folded.span(tokens[hi_token].start, tokens[hi_token].end)[1]
        suffix = clean(text[lo:hi]).replace("\n", " ")
        return f"{entry.canonical} {suffix[:1].lower()}{suffix[1:]}"

    def find(self, text: str) -> list[UnitMention]:
        """Known unit mentions, longest first, not overlapping, spans in `text`."""
        folded, tokens = self._text_tokens(text)
        found, i = [], 0
        while i < len(tokens):
            mention = self._mention(text, folded, tokens, i)
            if mention:
                found.append(mention)
                while i < len(tokens) and folded.span(tokens[i].start, tokens[i].end)[0] < mention.end:
                    i += 1
            else:
                i += 1
        return found

    def match_prefix(self, text: str) -> Optional[UnitMention]:
        """The longest known unit starting at the start of `text` (after spaces)."""
        folded, tokens = self._text_tokens(text)
        if not tokens or text[:folded.span(tokens[0].start, tokens[0].end)[0]].strip():
            return None
        return self._mention(text, folded, tokens, 0)

    # ------------------------------------------------------------ names
    def _strip(self, name: str) -> str:
        name = clean(name).replace("\n", " ").strip(" \t,;:.-–+•*")
        while True:
            lowered = fold_with_map(name).text
            lead = next((w for w in self._leading if lowered.startswith(w + " ")), None)
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


@lru_cache(maxsize=8)
def _cached_registry(extra: tuple[Path, ...]) -> UnitRegistry:
    return UnitRegistry.from_files([_DATA, *extra])
