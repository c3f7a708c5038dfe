"""The problems found in a roster file: the first ones for the import's page, every one of them
in a file beside the import for the download."""

import json
import tempfile
from collections.abc import Iterable, Iterator
from typing import IO

from django.core.files import File

from esafety.people.models import RosterImport

# Problems listed on the import's page; the download lists every one.
SHOWN = 100


def problem(line: int | None, message: str) -> dict:
    return {"line": line, "message": message}


class Problems:
    """The problems found in a file, in the order found, which is line order.

    The first SHOWN are kept for the page. Once there are more, every one is written to a
    temporary file for the download, so a file of 500,000 bad lines costs disk space, not the
    worker's memory.
    """

    def __init__(self, problems: Iterable[dict] = ()) -> None:
        self.count = 0
        self.lines = 0  # how many lines have a problem
        self.first: list[dict] = []
        self._last_line: int | None = None
        self._spool: IO[bytes] | None = None
        for found in problems:
            self.add(found["line"], found["message"])

    def add(self, line: int | None, message: str) -> None:
        found = problem(line, message)
        self.count += 1
        if line is not None and line != self._last_line:
            self.lines += 1
            self._last_line = line
        if len(self.first) < SHOWN:
            self.first.append(found)
            return
        if self._spool is None:
            # Outlives this call: close() ends it once the problems are saved.
            self._spool = tempfile.TemporaryFile()  # noqa: SIM115
            for shown in self.first:
                self._spool.write(json.dumps(shown).encode() + b"\n")
        self._spool.write(json.dumps(found).encode() + b"\n")

    def spooled(self) -> File | None:
        """All of them, one JSON object a line; None when the first SHOWN are all there is."""
        if self._spool is None:
            return None
        self._spool.seek(0)
        return File(self._spool)

    def close(self) -> None:
        if self._spool is not None:
            self._spool.close()


class Rejected(Exception):
    def __init__(self, problems: Problems | list[dict]) -> None:
        if not isinstance(problems, Problems):
            problems = Problems(problems)
        super().__init__(f"{problems.count} problem(s)")
        self.problems = problems


def _file_name(roster_import: RosterImport) -> str:
    return f"rosters/{roster_import.code}-problems.jsonl"


def save_problems_file(roster_import: RosterImport, problems: Problems) -> None:
    """Keep every problem in a file beside the import when there are more than the page shows,
    never as one unbounded JSON value in the import's row."""
    storage = roster_import.file.storage
    name = _file_name(roster_import)
    storage.delete(name)  # left by a worker that died after saving it: save would pick a new name
    spooled = problems.spooled()
    if spooled is not None:
        storage.save(name, spooled)
    problems.close()


def roster_problem_count(roster_import: RosterImport) -> int:
    # An import checked before the count was kept has every problem in errors.
    count: int = roster_import.summary.get("problems", len(roster_import.errors))
    return count


def roster_problems(roster_import: RosterImport) -> Iterator[dict]:
    """Every problem of a failed import, in line order, read a line at a time."""
    if roster_problem_count(roster_import) <= len(roster_import.errors):
        yield from roster_import.errors
        return
    with roster_import.file.storage.open(_file_name(roster_import), "rb") as f:
        for line in f:
            yield json.loads(line)
