"""Queries the ORM builds and compiles once per process, then runs again with new values.

A page's Python time was mostly the ORM's, not the database's. The dashboard's list of concerns
waiting to be acknowledged, measured at 10× (make bench's data): 1.3 ms to build the queryset,
2.2 ms to compile it to SQL, 1.7 ms to run it, and as long again to make model instances of its
15 rows; the database's share was under a millisecond. Every later request asks the same
question with another school, member or time in it.

A `Baked` query is a function that builds a `.values()` queryset from a shape and values:

- the **shape** is whatever changes the SQL's text: the member's roles, which filters are set,
  a fixed limit. It is part of the cache's key, so it must be hashable and must hold no
  identifier of a person or record.
- the **values** (school and member ids, times, dates, codes, text) go into the SQL only as
  parameters. The function receives stand-ins for them.

The first call for a shape builds the query twice, with two different sets of stand-ins, and
compiles both. The two SQL texts must be the same, and the other parameters too; otherwise
baking fails loudly. Each stand-in's place among the parameters is noted. Every later call puts
the real values in those places and runs the statement through Django's cursor, so the query
counters and execute wrappers see it. The rows are dicts, as `.values()` gives, through the
converters Django would apply. A rule written as a queryset (who may open which concern) stays
the one rule: the SQL is the ORM's compilation of it, cached.

Stand-ins are records that do not exist. `stand_in(School, values.school)` is a School that has
only its id: reading any other field of it asks the database for a row that is not there and
raises. So a builder cannot bake in a value it was not given as a value.

This runs on PostgreSQL only. There, Django passes an int, a datetime, a date or a UUID to the
driver unchanged, so a stand-in is found as itself among the parameters. Elsewhere (SQLite, for
`make run` and the default test run) the function builds the queryset from the real values and
it runs as usual: the same rows, at the ORM's cost.
"""

from esafety.baked.instances import fields_of, prefetched
from esafety.baked.plan import MAX_ITEMS, BakingError, Values, stand_in
from esafety.baked.query import Baked, BakedRows, baked

__all__ = [
    "MAX_ITEMS",
    "Baked",
    "BakedRows",
    "BakingError",
    "Values",
    "baked",
    "fields_of",
    "prefetched",
    "stand_in",
]
