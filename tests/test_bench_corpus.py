"""The benchmark corpus is deterministic and each format reads back as the notice it was made from."""
from __future__ import annotations

from pathlib import Path

from bench.corpus import write_corpus


def _texts(folder: Path) -> dict[str, str]:
    from extractors.readers import read

    out = {}
    for f in sorted(folder.iterdir()):
        doc = read(f)
        out[f.name] = "\n".join(getattr(e, "text", "") or "\n".join("|".join(r) for r in e.rows)
                                for e in doc.elements)
    return out


def test_same_seed_same_notices(tmp_path):
    a = write_corpus(tmp_path / "a", 12, seed=5)
    b = write_corpus(tmp_path / "b", 12, seed=5)
    assert [p.name for p, _ in a] == [p.name for p, _ in b]
    assert [s for _, s in a] == [s for _, s in b]
    for (pa, _), (pb, _) in zip(a, b):
        if pa.suffix == ".txt":
            assert pa.read_bytes() == pb.read_bytes()


def test_every_format_reads_back_with_its_units_and_number(tmp_path):
    made = write_corpus(tmp_path, 30, seed=11)
    assert {p.suffix for p, _ in made} == {".txt", ".docx", ".pdf"}
    texts = _texts(tmp_path)
    for path, spec in made:
        text = " ".join(texts[path.name].split())
        assert spec.symbol in text, (path.name, text[:200])
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
        assert spec.assignments[0].unit in text, path.name


def test_extractor_finds_tasks_in_each_kind(tmp_path):
    from pipeline import api

    made = write_corpus(tmp_path, 40, seed=3)
    found: dict[str, int] = {}
    for path, spec in made:
        found[spec.kind] = found.get(spec.kind, 0) + len(api.extract(api.parse(path)))
    assert set(found) == {"TB", "CV", "KH", "BC"}
    assert all(n > 0 for n in found.values()), found
