"""A trust-sized fictional data set, in bulk, for the benchmark and the load test.

    manage.py seed_scale                               the trust: 50 schools, 30,000 pupils,
                                                       45,000 guardians, 100,000 concerns,
                                                       1,000,000 audit events
    manage.py seed_scale --schools 1 --factor 0.02     one school of 600 pupils
    manage.py seed_scale --schools 1 --pupils 2000 --concerns 1000 --audit-events 100000
                                                       the "10x demo school" of issue 9
    manage.py seed_scale --schools 1 --pupils 200 --concerns 100 --audit-events 10000
                                                       its 1x (the demo school's size)

Each app adds its part through its contribution's `scale` (esafety/scale.py says what it is
given). Refused in production, and on a database that has schools unless --add.
"""

import datetime
import random
import time
from collections import defaultdict

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from esafety.contributions import contributions
from esafety.people import scale as people
from esafety.people.models import Role, School
from esafety.scale import AuditWriter, Inserter, ScaleSizes

# Per school at factor 1: 50 of these make the trust.
PUPILS, CONCERNS, AUDIT_EVENTS = 600, 2000, 20000


class Command(BaseCommand):
    help = "Build a trust-sized fictional data set in bulk (see the module's docstring)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--schools", type=int, default=50)
        parser.add_argument(
            "--factor",
            type=float,
            default=1.0,
            help="Size of each school: 1 is 600 pupils, 2,000 concerns and 20,000 audit events.",
        )
        parser.add_argument("--pupils", type=int, help="Pupils per school (overrides --factor).")
        parser.add_argument("--concerns", type=int, help="Concerns per school (overrides).")
        parser.add_argument("--audit-events", type=int, help="Audit events per school (overrides).")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed.")
        parser.add_argument(
            "--add", action="store_true", help="Add to a database that has schools already."
        )

    def handle(self, *args, **o) -> None:
        if settings.PRODUCTION:
            raise CommandError("seed_scale creates known passwords; it never runs in production.")
        if not o["add"] and School.objects.exists():
            raise CommandError(
                "The database has schools already: seed_scale fills an empty one (or pass --add)."
            )
        if o["schools"] < 1 or o["factor"] <= 0:
            raise CommandError("--schools must be at least 1 and --factor more than 0.")
        factor = o["factor"]
        sizes = ScaleSizes(
            pupils=o["pupils"] if o["pupils"] is not None else max(1, round(PUPILS * factor)),
            concerns=o["concerns"] if o["concerns"] is not None else round(CONCERNS * factor),
            audit_events=o["audit_events"]
            if o["audit_events"] is not None
            else round(AUDIT_EVENTS * factor),
        )
        rng = random.Random(o["seed"])
        # Whole microseconds in UTC: an event's hash covers `at` as the database gives it back.
        now = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
        start = now - datetime.timedelta(days=730)
        inserter = Inserter(now)
        audit = AuditWriter(inserter)
        timings: dict[str, float] = defaultdict(float)
        began = time.monotonic()
        first = people.next_index()
        password_hash = people.password_hash()
        privileged = []
        for index in range(first, first + o["schools"]):
            with transaction.atomic():
                t = time.monotonic()
                school = people.seed_people(
                    index=index,
                    sizes=sizes,
                    factor=factor,
                    rng=random.Random(rng.random()),
                    now=now,
                    start=start,
                    inserter=inserter,
                    audit=audit,
                    password_hash=password_hash,
                )
                privileged += [school.people[r] for r in people.PRIVILEGED]
                timings["people"] += time.monotonic() - t
                for contribution in contributions():
                    if contribution.scale:
                        t = time.monotonic()
                        contribution.scale(school)
                        timings[contribution.app] += time.monotonic() - t
                t = time.monotonic()
                missing = sizes.audit_events - audit.count(school.school.pk)
                if missing > 0 and school.fill_audit:
                    share = missing // len(school.fill_audit)
                    for n, fill in enumerate(school.fill_audit):
                        fill(share + (missing % len(school.fill_audit) if n == 0 else 0))
                audit.flush(school.school.pk)
                timings["audit trail"] += time.monotonic() - t
            self.stdout.write(
                f"  {school.school.name} (URN {school.school.urn}): "
                f"{time.monotonic() - began:.0f} s so far"
            )
        with transaction.atomic():
            t = time.monotonic()
            audit.flush(None)
            people.enrol_totp(privileged)
            inserter.reset_sequences()
            timings["audit trail"] += time.monotonic() - t
        if connection.vendor == "postgresql":
            # Fresh statistics, so the first benchmark run plans its queries on the real sizes.
            t = time.monotonic()
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            timings["analyze"] += time.monotonic() - t
        self._print(inserter.counts, timings, time.monotonic() - began, first, o["schools"])

    def _print(self, counts, timings, total, first, schools) -> None:
        w = self.stdout.write
        w(self.style.SUCCESS(f"Scale data set created in {total:.0f} s:"))
        for label, n in sorted(counts.items()):
            w(f"  {label:<28} {n:>10,}")
        w("Time per part: " + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items()))
        w(f"Every user's password: {people.SCALE_PASSWORD}")
        w(
            "Privileged users (head, dsl, deputy-dsl, online-safety-lead, governor = chair) "
            f"have the TOTP secret {people.SCALE_TOTP_SECRET}."
        )
        last = first + schools - 1
        w(
            f"Users: {Role.DSL.value}@s{first:03d}.{people.SCALE_DOMAIN} ... "
            f"@s{last:03d}.{people.SCALE_DOMAIN}; also head, deputy-dsl, online-safety-lead, "
            "office, staff, governor, teacher001...; parents are <mis id>-a@ and -b@."
        )
