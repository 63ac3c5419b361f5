"""`nhiemvu export --format gold`: the corrected register becomes the scorer's gold files, readable by `nhiemvu eval`."""
import json

from pipeline.evaluate import evaluate
from pipeline.gold_export import write_gold
from pipeline.register import Register
from tests.web_fixtures import AS_OF, build_register


def run_eval(gold_dir):
    lines = []
    summary = evaluate(gold_dir, [gold_dir], verbose=True, echo=lines.append, warn=lines.append)
    return summary, lines


def test_gold_export_scores_the_extractor_against_the_officers_corrections(tmp_path):
    db, _ = build_register(tmp_path / "reg")
    with Register.open(db) as reg:
        tasks = reg.tasks(AS_OF)
        edited = next(t for t in tasks if t.task.assignee == "Phòng Kinh tế" and t.notice.doc_number == "99/TB-UBND")
        reg.edit_task(edited.id, {"assignee": "Trạm Y tế xã"})
        tasks = reg.tasks(AS_OF)
    gold = tmp_path / "gold"
    written = write_gold(tasks, gold)
    assert len(written) == len({t.notice.id for t in tasks})
    record = json.loads(next(p for p in written if p.name.startswith("tb-99")).read_text(encoding="utf-8"))
    assert record["source"] == "tb-99-hostile" and record["document"]["doc_number"] == "99/TB-UBND"
    fixed = next(t for t in record["tasks"] if t["assignee"] == ["Trạm Y tế xã"])
    assert fixed["key"] and edited.task.action.startswith(fixed["key"])
    assert (gold / "tb-99-hostile.txt").is_file()  # the notice travels with its answers
    summary, lines = run_eval(gold)
    assert summary["errors"] == 0
    text = "\n".join(lines)
    # the extractor still reads Phòng Kinh tế where the officer wrote Trạm Y tế xã: exactly that task is wrong
    assert "assignee 'Phòng Kinh tế' not in ['Trạm Y tế xã']" in text
    assert summary["strict_f1"] < 1.0
