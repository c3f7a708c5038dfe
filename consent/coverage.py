"""Coverage per purpose, counted in the database: the rules of consent/rules.py, as one query.

consent/rules.py stays the one definition of "may this pupil appear?" (every page about named
pupils reads it). The governors' figures need it for every pupil on roll, and reading every
decision of the school into Python grew with the school's history (906 ms at 2,000 pupils), so
this module states the same rules in SQL, step by step, and tests/consent/test_coverage_sql.py
holds the two to the same answer on a mixed data set (on SQLite and on PostgreSQL):

- the standing decision of each kind (parent, pupil) is the latest, by (decided_at, id), per
  pupil, purpose and kind: ROW_NUMBER() over that partition (rules.state's loop);
- a pupil's own decision counts only from the school's age of own decision (born on or before
  `own_age` years ago: rules.decides_for_themselves);
- where the school renews each year, a latest consent given in another academic year counts
  for nothing, while a refusal, and any decision on a public-task purpose, still counts
  (rules._counts);
- where both stand, the stricter (rules.RANK) stands; a marked pupil is refused on every
  purpose; no decision is no on a consent purpose and yes on the others;
- only pupils on roll are counted (a leaver's consent lapsed: they are not in the figures).

The counts come back one row a purpose: the Python work is constant in the number of pupils.
"""

import datetime

from django.db import connection

from consent import rules
from consent.models import Choice, Decision, LawfulBasis, Marking, Purpose
from esafety.people.models import Pupil, School

COLUMNS = ("granted", "alone_only", "refused", "no_decision")


def _years_before(day: datetime.date, years: int) -> datetime.date:
    """The last birthday that makes a pupil `years` old on `day` (29 February: the 28th)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _rank_sql() -> str:
    return (
        "CASE l.choice "
        + " ".join(f"WHEN '{choice.value}' THEN {rank}" for choice, rank in rules.RANK.items())
        + " END"
    )


def coverage_counts(
    *,
    school: School,
    purposes: list[Purpose],
    today: datetime.date,
    own_age: int,
    renew_year: int | None,
) -> dict[int, dict[str, int]]:
    """{purpose id: {granted, alone_only, refused, no_decision}} over the pupils on roll, in
    one query. "Refused" holds refusals, objections and "do not photograph" alike: figures
    never tell a marking apart from a refusal."""
    if not purposes:
        return {}
    ops = connection.ops
    qn = ops.quote_name
    decision, pupil, purpose, marking = (
        qn(m._meta.db_table) for m in (Decision, Pupil, Purpose, Marking)
    )
    GRANTED, ALONE, REFUSED = (
        rules.RANK[c] for c in (Choice.GRANTED, Choice.ALONE_ONLY, Choice.REFUSED)
    )
    ids = [p.pk for p in purposes]
    marks = ", ".join(["%s"] * len(ids))
    params: list = [school.pk, *ids]
    counts_clause = ""
    if renew_year is not None:
        start_month = school.academic_year_start_month
        # rules._counts compares the academic year of the decision's date as stored (UTC).
        start = datetime.datetime(renew_year, start_month, 1, tzinfo=datetime.UTC)
        end = datetime.datetime(renew_year + 1, start_month, 1, tzinfo=datetime.UTC)
        counts_clause = (
            " AND (l.choice = %s OR q.lawful_basis <> %s"
            " OR (l.decided_at >= %s AND l.decided_at < %s))"
        )
        params_counts = [
            Choice.REFUSED.value,
            LawfulBasis.CONSENT.value,
            ops.adapt_datetimefield_value(start),
            ops.adapt_datetimefield_value(end),
        ]
    else:
        params_counts = []
    cutoff = ops.adapt_datefield_value(_years_before(today, own_age))
    sql = f"""
WITH latest AS (
  SELECT d.pupil_id, d.purpose_id, d.by_pupil, d.choice, d.decided_at,
         ROW_NUMBER() OVER (
           PARTITION BY d.pupil_id, d.purpose_id, d.by_pupil
           ORDER BY d.decided_at DESC, d.id DESC
         ) AS rn
  FROM {decision} d
  WHERE d.school_id = %s AND d.purpose_id IN ({marks})
),
standing AS (
  SELECT l.pupil_id, l.purpose_id, MIN({_rank_sql()}) AS strictest
  FROM latest l
  JOIN {pupil} p ON p.id = l.pupil_id
  JOIN {purpose} q ON q.id = l.purpose_id
  WHERE l.rn = 1 AND (l.by_pupil = %s OR p.date_of_birth <= %s){counts_clause}
  GROUP BY l.pupil_id, l.purpose_id
)
SELECT q.id,
  SUM(CASE WHEN m.id IS NULL
        AND (s.strictest = {GRANTED} OR (s.strictest IS NULL AND q.lawful_basis <> %s))
      THEN 1 ELSE 0 END),
  SUM(CASE WHEN m.id IS NULL AND s.strictest = {ALONE} THEN 1 ELSE 0 END),
  SUM(CASE WHEN m.id IS NOT NULL OR s.strictest = {REFUSED} THEN 1 ELSE 0 END),
  SUM(CASE WHEN m.id IS NULL AND s.strictest IS NULL AND q.lawful_basis = %s THEN 1 ELSE 0 END)
FROM {pupil} p
CROSS JOIN {purpose} q
LEFT JOIN {marking} m ON m.pupil_id = p.id AND m.lifted_at IS NULL
LEFT JOIN standing s ON s.pupil_id = p.id AND s.purpose_id = q.id
WHERE p.school_id = %s AND p.left_date IS NULL AND q.id IN ({marks})
GROUP BY q.id
"""  # noqa: S608 (only table names from the models and placeholders are interpolated)
    params += [False, cutoff, *params_counts]
    params += [LawfulBasis.CONSENT.value, LawfulBasis.CONSENT.value, school.pk, *ids]
    found = {pk: dict.fromkeys(COLUMNS, 0) for pk in ids}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for pk, *values in cursor.fetchall():
            found[pk] = dict(zip(COLUMNS, (int(v or 0) for v in values), strict=True))
    return found
