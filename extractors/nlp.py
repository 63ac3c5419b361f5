"""Lazy helpers over underthesea and spaCy: imported on first use, never at start-up.

Only the bundled CRF models of underthesea are used (pos_tag, word_tokenize, ner
without deep=True); nothing here downloads a model. `STATS` counts the calls so
the cost per notice can be measured (bench and `nhiemvu eval --verbose`).
"""
from __future__ import annotations

import time
from collections import Counter
from functools import lru_cache

STATS: Counter = Counter()  # calls and seconds per helper, for measurement


def _timed(name: str):
    def wrap(fn):
        def inner(*args, **kwargs):
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                STATS[name + ".calls"] += 1
                STATS[name + ".seconds"] += time.perf_counter() - start
        inner.__wrapped__ = fn
        inner.__doc__ = fn.__doc__
        return inner
    return wrap


@_timed("pos_tag")
@lru_cache(maxsize=4096)
def pos_tag(sentence: str) -> tuple[tuple[str, str], ...]:
    """Word-segmented (word, tag) pairs: V verb, N noun, Np proper noun, ... (underthesea CRF)."""
    from underthesea import pos_tag as _pos_tag

    return tuple((w, t) for w, t in _pos_tag(sentence))


@_timed("ner")
@lru_cache(maxsize=1024)
def person_names(sentence: str) -> tuple[str, ...]:
    """Person names (B-PER/I-PER runs) the bundled CRF NER finds in a sentence."""
    from underthesea import ner

    names, current = [], []
    for token in ner(sentence):
        word, tag = token[0], token[-1]
        if tag.endswith("PER"):
            if tag.startswith("B-") and current:
                names.append(" ".join(current))
                current = []
            current.append(word)
        elif current:
            names.append(" ".join(current))
            current = []
    if current:
        names.append(" ".join(current))
    return tuple(names)


def noun_phrase_before_verb(sentence: str) -> str:
    """The words before the first verb, as written: the subject of "X rà soát ..." when
    no unit name is known. Costs one pos_tag call (~3 ms)."""
    words = []
    for word, tag in pos_tag(sentence):
        if tag == "V" and words:
            break
        if tag in ("CH",) and words:
            break
        words.append(word)
    return " ".join(words).strip()


@lru_cache(maxsize=1)
def blank_vi():
    """A blank Vietnamese spaCy pipeline, tokenizer without pyvi (nothing to download)."""
    import spacy

    return spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
