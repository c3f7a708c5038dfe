"""Long lists a page at a time, numbered without counting every row."""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet


@dataclass(frozen=True)
class RowsPage:
    """A page of a long list, numbered without counting the rows: it reads one row more than it
    shows, which says whether there is a next page. Only the last page knows the total."""

    rows: list
    number: int
    size: int
    has_next: bool

    def __iter__(self) -> Iterator:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def object_list(self) -> list:
        return self.rows

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.size + 1 if self.rows else 0

    @property
    def end_index(self) -> int:
        return (self.number - 1) * self.size + len(self.rows)

    @property
    def total(self) -> int | None:
        """How many rows there are in all, when this page shows the last of them."""
        return None if self.has_next else self.end_index


def page_number(value: str | None) -> int:
    """A page number from the query string: anything that is not a whole number from 1 is 1."""
    try:
        number = int(value or 1)
    except ValueError:
        return 1
    return min(max(number, 1), 10_000)


def rows_page(qs: QuerySet | Sequence[Any], number: int, size: int) -> RowsPage:
    """One page of `qs` (a query, by OFFSET, or a list) with one row more to know whether
    another page follows."""
    start = (number - 1) * size
    got = list(qs[start : start + size + 1])
    return RowsPage(rows=got[:size], number=number, size=size, has_next=len(got) > size)
