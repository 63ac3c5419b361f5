"""pipeline.background: a job in another process, and what happens when that process dies."""
import os
import sys

from pipeline.background import Background, captured


def _whose_pid(tag: str) -> tuple[str, int]:
    return tag, os.getpid()


def _dies_unless_in(pid: int) -> str:
    if os.getpid() != pid:
        os._exit(3)  # a worker killed mid-job (out of memory, a crashing C library)
    return "done here"


def _talks() -> int:
    print("lá thư 1")
    print("chú ý", file=sys.stderr)
    return 7


def test_the_job_runs_in_another_process_and_returns_its_value():
    tag, pid = Background(_whose_pid, "thư").result()
    assert tag == "thư" and pid != os.getpid()


def test_a_job_whose_process_dies_is_run_here_instead():
    assert Background(_dies_unless_in, os.getpid()).result() == "done here"


def test_captured_keeps_what_the_job_prints(capsys):
    assert captured(_talks) == (7, "lá thư 1\n", "chú ý\n")
    assert capsys.readouterr() == ("", "")
