"""Legacy-font repair accuracy: viparse against extractors.legacy on text we encode ourselves.

    python -m bench.eval_legacy

Phrases of 1, 2, 4 and 12 words are cut from the seed notices, encoded to TCVN3 and VNI
with extractors.legacy.encode (the inverse of its tables), then repaired by each tool
without being told the encoding. A repair is right when the Unicode text comes back
(case-insensitive for TCVN3, which has no codes for toned capitals). Clean Unicode and
English phrases measure false positives: any change is wrong.
"""
from __future__ import annotations

import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ENGLISH = ["Hello world", "naïve café résumé", "Meeting minutes", "Report", "The committee agreed",
           "Deadline: 30 June", "São Paulo", "Zürich office", "déjà vu", "coöperate"]


def phrases(n_words: int, count: int, rng: random.Random) -> list[str]:
    from extractors.readers.txt import read

    words: list[str] = []
    for seed in sorted((ROOT / "samples").glob("*.txt")):
        words += " ".join(el.text for el in read(seed).elements).split()
    words = [w for w in words if re.search(r"[^\W\d_]", w)]
    out = []
    for _ in range(count):
        start = rng.randrange(0, len(words) - n_words)
        out.append(" ".join(words[start:start + n_words]))
    return out


def same(got: str, want: str, encoding: str) -> bool:
    return got.lower() == want.lower() if encoding == "tcvn3" else got == want


def ours(text: str) -> str:
    from extractors.legacy import repair

    return repair(text)[0]


def viparse_fix(text: str) -> str:
    import viparse

    try:
        return viparse.fix(text)
    except Exception:
        return text


def main() -> None:
    from extractors.legacy import encode

    rng = random.Random(2026)
    tools = {"extractors.legacy": ours, "viparse.fix": viparse_fix}
    print(f"{'case':<22}" + "".join(f"{name:>20}" for name in tools))
    for n_words in (1, 2, 4, 12):
        sample = phrases(n_words, 200, rng)
        for encoding in ("tcvn3", "vni"):
            encoded = [(encode(p, encoding), p) for p in sample]
            encoded = [(e, p) for e, p in encoded if e != p]
            scores = [sum(same(fn(e), p, encoding) for e, p in encoded) / len(encoded) for fn in tools.values()]
            print(f"{f'{encoding} {n_words} words':<22}" + "".join(f"{s:>20.1%}" for s in scores))
    clean = phrases(1, 200, rng) + phrases(4, 200, rng) + ENGLISH
    scores = [sum(fn(t) == t for t in clean) / len(clean) for fn in tools.values()]
    print(f"{'clean left alone':<22}" + "".join(f"{s:>20.1%}" for s in scores))


if __name__ == "__main__":
    main()
