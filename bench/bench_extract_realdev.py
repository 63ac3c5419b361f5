"""Extraction cost on the real dev notices and on samples/, after start-up.

    python -m bench.bench_extract_realdev [--realdev DIR] [--passes 3]

For each set: start-up (importing the pipeline), read+structure per notice (`api.parse`), extraction per
notice (`api.explain`, which is `api.extract` plus the trace), total extraction, and the underthesea
pos_tag calls with their cost (extractors/nlp.py counts them). Pass 1 is cold: the unit registry, cue
regexes and, on its first call, underthesea's CRF model load lazily and are counted in it; later passes
are warm (pos_tag's cache is cleared, so its calls are counted and paid again, the model stays loaded).
Wall-clock times (perf_counter); the machine is shared, so read the medians.

The realdev folder is ../shared/realdev beside the project (or beside the folder of worktrees), or
--realdev / NHIEMVU_SHARED.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 1.0  # all realdev extraction after start-up (issue 9)


def shared_dir() -> Path | None:
    candidates = [os.environ.get("NHIEMVU_SHARED"), ROOT.parent / "shared", ROOT.parent.parent / "shared"]
    return next((Path(c) for c in candidates if c and Path(c).is_dir()), None)


def _ms(seconds: float) -> str:
    return f"{1000 * seconds:.1f} ms"


def measure(name: str, files: list[Path], passes: int) -> dict:
    from extractors import nlp
    from pipeline import api

    t = time.perf_counter()
    notices = [api.parse(f) for f in files]
    parse_total = time.perf_counter() - t
    parse_each = []
    for f in files:
        t = time.perf_counter()
        api.parse(f)
        parse_each.append(time.perf_counter() - t)
    result = {"set": name, "notices": len(files), "parse_first_total": parse_total,
              "parse_median": statistics.median(parse_each), "parse_max": max(parse_each),
              "parse_total": sum(parse_each), "passes": []}
    asked: list[str] = []  # the sentences pos_tag was asked about (pass 1), to see why
    tagger = nlp.pos_tag

    def recorded(sentence: str):
        asked.append(sentence)
        return tagger(sentence)

    for n in range(passes):
        nlp.pos_tag = recorded if n == 0 else tagger
        nlp.STATS.clear()
        tagger.__wrapped__.cache_clear()
        nlp.person_names.__wrapped__.cache_clear()
        each, tasks = [], 0
        for notice in notices:
            t = time.perf_counter()
            tasks += len(api.explain(notice)[0])
            each.append(time.perf_counter() - t)
        slowest = max(range(len(each)), key=each.__getitem__)
        result["passes"].append({
            "pass": n + 1, "total": sum(each), "median": statistics.median(each), "max": each[slowest],
            "slowest": Path(files[slowest]).name, "tasks": tasks,
            "pos_tag_calls": nlp.STATS.get("pos_tag.calls", 0), "pos_tag_seconds": nlp.STATS.get("pos_tag.seconds", 0.0),
            "ner_calls": nlp.STATS.get("ner.calls", 0), "ner_seconds": nlp.STATS.get("ner.seconds", 0.0)})
    nlp.pos_tag = tagger
    result["pos_tag_sentences"] = asked
    return result


def report(r: dict) -> list[str]:
    lines = [f"== {r['set']}: {r['notices']} notices",
             f"read+structure  first {_ms(r['parse_first_total'])} total; again: median {_ms(r['parse_median'])}"
             f"/notice, max {_ms(r['parse_max'])}, total {_ms(r['parse_total'])}"]
    for p in r["passes"]:
        kind = "cold" if p["pass"] == 1 else "warm"
        lines.append(f"extract pass {p['pass']} ({kind}): total {_ms(p['total'])}, median {_ms(p['median'])}/notice, "
                     f"max {_ms(p['max'])} ({p['slowest']}); {p['tasks']} tasks; pos_tag {p['pos_tag_calls']} calls "
                     f"{_ms(p['pos_tag_seconds'])}; ner {p['ner_calls']} calls {_ms(p['ner_seconds'])}")
    cold = r["passes"][0]
    lines.append(f"cold pass without pos_tag/ner (lazy registry, cues): "
                 f"{_ms(cold['total'] - cold['pos_tag_seconds'] - cold['ner_seconds'])}")
    for sentence in r["pos_tag_sentences"]:
        lines.append(f"pos_tag asked: {sentence[:100]!r}")
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--realdev", type=Path, default=None, help="folder of the real dev notices")
    ap.add_argument("--passes", type=int, default=3)
    args = ap.parse_args(argv)

    t = time.perf_counter()
    import extractors.assignments  # noqa: F401  the modules a run imports before its first notice
    import extractors.readers  # noqa: F401
    import extractors.structure  # noqa: F401
    from pipeline import api
    startup = time.perf_counter() - t
    print(f"start-up (imports): {_ms(startup)}")

    realdev = args.realdev or ((shared_dir() or Path("/nonexistent")) / "realdev" / "notices")
    sets = []
    if realdev.is_dir():
        sets.append(("realdev", list(api.iter_notice_files([realdev]))))
    else:
        print(f"realdev: {realdev} not found, skipped")
    sets.append(("samples", list(api.iter_notice_files([ROOT / "samples"]))))
    for name, files in sets:
        r = measure(name, files, args.passes)
        print("\n".join(report(r)))
        if name == "realdev":
            cold, warm = r["passes"][0]["total"], min(p["total"] for p in r["passes"][1:] or r["passes"])
            verdict = "met" if cold < TARGET_SECONDS else "NOT met"
            print(f"target: all realdev extraction < {TARGET_SECONDS:.0f} s after start-up: cold {cold:.2f} s "
                  f"({verdict}), warm {warm:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
