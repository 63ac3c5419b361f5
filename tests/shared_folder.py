"""Where the shared folder (seeds, realdev, the scorer) is for tests: NHIEMVU_SHARED, else ../shared beside
the project checkout, else two levels up (a git worktree of the project); never an absolute path."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parent.parent


def shared_folder(needs: str = "") -> Optional[Path]:
    """The first candidate holding `needs` (a path inside it), or None: the tests that need it skip."""
    candidates = [os.environ.get("NHIEMVU_SHARED"), ROOT.parent / "shared", ROOT.parent.parent / "shared"]
    return next((Path(c) for c in candidates if c and (Path(c) / needs).is_dir()), None)
