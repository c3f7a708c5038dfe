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
    two queries (the roll, and the standing decisions). "Refused" holds refusals, objections
    and "do not photograph" alike: figures never tell a marking apart from a refusal."""
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
    # Counted from the standing decisions, not from every pupil by every purpose: the cross
    # join was planned badly once the table held a trust's decisions (500 ms at 2,000 pupils).
    # Pupils with no standing decision are what is left of those on roll and unmarked.
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
  WHERE l.rn = 1 AND p.school_id = %s AND p.left_date IS NULL
    AND (l.by_pupil = %s OR p.date_of_birth <= %s){counts_clause}
  GROUP BY l.pupil_id, l.purpose_id
)
SELECT s.purpose_id,
  SUM(CASE WHEN s.strictest = {GRANTED} THEN 1 ELSE 0 END),
  SUM(CASE WHEN s.strictest = {ALONE} THEN 1 ELSE 0 END),
  SUM(CASE WHEN s.strictest = {REFUSED} THEN 1 ELSE 0 END)
FROM standing s
WHERE s.pupil_id NOT IN (SELECT m.pupil_id FROM {marking} m WHERE m.lifted_at IS NULL)
GROUP BY s.purpose_id
"""  # noqa: S608 (only table names from the models and placeholders are interpolated)
    params += [school.pk, False, cutoff, *params_counts]
    roll_sql = f"""
SELECT COUNT(*),
  SUM(CASE WHEN EXISTS (
    SELECT 1 FROM {marking} m WHERE m.pupil_id = p.id AND m.lifted_at IS NULL
  ) THEN 1 ELSE 0 END)
FROM {pupil} p WHERE p.school_id = %s AND p.left_date IS NULL
"""  # noqa: S608
    decided: dict[int, tuple[int, int, int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(roll_sql, [school.pk])
        on_roll, marked = (int(v or 0) for v in cursor.fetchone())
        cursor.execute(sql, params)
        for pk, granted, alone, refused in cursor.fetchall():
            decided[pk] = (int(granted or 0), int(alone or 0), int(refused or 0))
    found = {}
    for q in purposes:
        granted, alone, refused = decided.get(q.pk, (0, 0, 0))
        undecided = on_roll - marked - granted - alone - refused
        consent = q.lawful_basis == LawfulBasis.CONSENT
        found[q.pk] = {
            "granted": granted + (0 if consent else undecided),
            "alone_only": alone,
            "refused": refused + marked,
            "no_decision": undecided if consent else 0,
        }
    return found
