"""Cost of the body tree, task extraction and each NLP helper per notice.

    python bench/bench_extract.py [PATH ...]      (default: samples/)

Prints per-notice CPU milliseconds (process time, steady on a busy machine) of build_body and
extract_tasks (after one warm-up pass, so
start-up and model loading are reported apart), how many sentences needed pos_tag/NER, and a
comparison of the cue regexes against a spaCy PhraseMatcher over the same phrases.
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(argv: list[str]) -> None:
    from extractors import nlp
    from extractors.assignments import extract_tasks
    from extractors.cues import cues
    from extractors.blocks import build_body
    from extractors.readers import read
    from extractors.structure import structure
    from pipeline import api

    from extractors.errors import NoticeError

    raws = []
    for p in api.iter_notice_files([Path(a) for a in argv] or [ROOT / "samples"]):
        try:
            raws.append(read(p))
        except NoticeError as exc:  # a broken file is not part of the measure
            print(f"bỏ qua {exc}")
    t0 = time.process_time()
    notices = [structure(r) for r in raws]
    for n in notices:
        extract_tasks(n)
    print(f"first pass (imports, cue compile, models): {1000 * (time.process_time() - t0):.0f} ms "
          f"for {len(notices)} notices")
    nlp.STATS.clear()
    nlp.pos_tag.__wrapped__.cache_clear()
    nlp.person_names.__wrapped__.cache_clear()
    body_ms, extract_ms, n_tasks = [], [], 0
    for _ in range(5):
        for raw, n in zip(raws, notices):
            t = time.process_time()
            build_body(raw.elements)
            body_ms.append(1000 * (time.process_time() - t))
            t = time.process_time()
            n_tasks += len(extract_tasks(n))
            extract_ms.append(1000 * (time.process_time() - t))
    runs = 5 * len(notices)
    print(f"build_body     median {statistics.median(body_ms):.2f} ms/notice, max {max(body_ms):.2f}")
    print(f"extract_tasks  median {statistics.median(extract_ms):.2f} ms/notice, max {max(extract_ms):.2f} "
          f"({n_tasks // 5} tasks per pass)")
    for key in sorted(nlp.STATS):
        value = nlp.STATS[key]
        per = value / runs
        print(f"nlp.{key:<16} {per * 1000:.2f} ms/notice" if key.endswith("seconds") else f"nlp.{key:<16} {per:.2f} calls/notice")
    _compare_matchers(cues(), [n.text for n in notices])


def _compare_matchers(c, texts: list[str]) -> None:
    """Cue phrases: one compiled regex vs spaCy's PhraseMatcher (blank 'vi', no pyvi)."""
    from spacy.matcher import PhraseMatcher

    from extractors.nlp import blank_vi

    import tomllib

    with open(ROOT / "extractors" / "data" / "vi" / "cues.toml", "rb") as fh:
        verbs = tomllib.load(fh)["verbs"]["action"]
    t = time.process_time()
    nlp = blank_vi()
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    matcher.add("VERB", [nlp.make_doc(v) for v in verbs])
    setup = time.process_time() - t
    t = time.process_time()
    spacy_hits = sum(len(matcher(nlp.make_doc(x))) for x in texts)
    spacy_ms = 1000 * (time.process_time() - t)
    t = time.process_time()
    regex_hits = sum(len(c.verb_anywhere.findall(x)) for x in texts)
    regex_ms = 1000 * (time.process_time() - t)
    print(f"verb cues over {len(texts)} notices: regex {regex_ms:.2f} ms ({regex_hits} hits); "
          f"spaCy PhraseMatcher {spacy_ms:.2f} ms ({spacy_hits} hits) + {1000 * setup:.0f} ms set-up")


if __name__ == "__main__":
    main(sys.argv[1:])
