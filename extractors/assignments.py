"""Notice -> [Task]: who is assigned what. (Placeholder: being written.)"""
from __future__ import annotations

from extractors.models import Notice, Task


def extract_tasks(notice: Notice) -> list[Task]:
    return []
