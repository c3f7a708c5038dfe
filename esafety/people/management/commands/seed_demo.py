"""A fictional demo school, written through the services so the audit trail has its history."""

import datetime
import random
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from esafety.contributions import DemoSchool, contributions
from esafety.people import services
from esafety.people.access import is_privileged
from esafety.people.fictional import FIRST_NAMES, LAST_NAMES, RELATIONSHIPS
from esafety.people.models import Role, School, User

DEMO_PASSWORD = "demo-esafety-2026"  # noqa: S105 (the demo school only; refused in production)
DEMO_DOMAIN = "demo.esafety.test"

STAFF = [
    (Role.HEAD, "head", "Helen Marchbank"),
    (Role.DSL, "dsl", "Daniel Stroud"),
    (Role.DEPUTY_DSL, "deputy", "Priya Ellery"),
    (Role.ONLINE_SAFETY_LEAD, "osl", "Owen Tallis"),
    (Role.OFFICE, "office", "Fran Oldcastle"),
    (Role.STAFF, "staff", "Sophie Brennard"),
    (Role.GOVERNOR, "governor", "Gordon Ravensworth"),
]
YEARS = ["Year 3", "Year 4", "Year 5", "Year 6"]


class Command(BaseCommand):
    help = "Create the fictional demo school with one user per role and 200 pupils."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--pupils", type=int, default=200)
        parser.add_argument(
            "--mfa-on-first-sign-in",
            action="store_true",
            help="Leave privileged users without an authenticator, so their first sign-in "
            "asks them to set one up (instead of printing a TOTP secret for each).",
        )

    def handle(self, *args, pupils: int, mfa_on_first_sign_in: bool, **options) -> None:
        if settings.PRODUCTION:
            raise CommandError("seed_demo creates known passwords; it never runs in production.")
        if School.objects.filter(urn="999001").exists():
            raise CommandError("The demo school exists already.")
        rng = random.Random(2026)
        with transaction.atomic():
            logins = self._seed(rng, pupils, enrol=not mfa_on_first_sign_in)
        self._print(logins)

    def _seed(self, rng: random.Random, pupil_count: int, enrol: bool) -> list[tuple]:
        school = services.school_create(
            actor=None, name="Hollybrook Primary School (demo)", urn="999001"
        )
        logins = []
        users = {}
        for role, local, name in STAFF:
            user = services.user_create(
                actor=None, email=f"{local}@{DEMO_DOMAIN}", full_name=name, password=DEMO_PASSWORD
            )
            services.membership_add(
                actor=None, user=user, school=school, role=role, is_chair=role == Role.GOVERNOR
            )
            users[role] = user
            secret = ""
            if enrol and is_privileged(user):
                secret = _enrol_totp(user)
            logins.append(
                (role.label + (" (chair)" if role == Role.GOVERNOR else ""), user.email, secret)
            )

        office = users[Role.OFFICE]
        classes = {}
        for year in YEARS:
            for stream in ("Ash", "Beech"):
                name = f"{year[-1]}{stream[0]}"
                classes[name] = services.school_class_get_or_create(
                    actor=office, school=school, name=name, year_group=year
                )
        class_names = sorted(classes)
        today = datetime.date.today()
        parent_email = f"parent@{DEMO_DOMAIN}"
        family_name = LAST_NAMES[0]
        pupils = []
        for n in range(pupil_count):
            school_class = classes[class_names[n % len(class_names)]]
            year = int(school_class.year_group.split()[-1])
            last = family_name if n < 2 else rng.choice(LAST_NAMES)
            pupil = services.pupil_create(
                actor=office,
                school=school,
                mis_id=f"DEMO{n + 1:04d}",
                first_name=rng.choice(FIRST_NAMES),
                last_name=last,
                date_of_birth=datetime.date(
                    today.year - 5 - year, rng.randint(1, 12), rng.randint(1, 28)
                ),
                year_group=school_class.year_group,
                school_class=school_class,
                sen=rng.random() < 0.12,
                looked_after=rng.random() < 0.02,
                cp_plan=rng.random() < 0.02,
                on_roll_date=datetime.date(today.year - year + 2, 9, 1),
            )
            pupils.append(pupil)
            # The first two pupils are siblings whose parent has an account.
            first_email = parent_email if n < 2 else f"family{n + 1:04d}@{DEMO_DOMAIN}"
            services.guardian_add(
                actor=office,
                pupil=pupil,
                email=first_email,
                full_name=f"{rng.choice(FIRST_NAMES)} {last}",
                relationship=rng.choice(RELATIONSHIPS),
            )
            if rng.random() < 0.5:
                services.guardian_add(
                    actor=office,
                    pupil=pupil,
                    email=f"family{n + 1:04d}b@{DEMO_DOMAIN}",
                    full_name=f"{rng.choice(FIRST_NAMES)} {last}",
                    relationship=rng.choice(RELATIONSHIPS),
                )

        # The demo parent joins the way every parent does: invited by the office, then accepted,
        # which links them to their two children.
        invitation, _token = services.invitation_create(
            actor=office, school=school, email=parent_email, role=Role.PARENT
        )
        services.invitation_accept(
            invitation=invitation, user=None, full_name="Morgan Ashdown", password=DEMO_PASSWORD
        )
        logins.append((Role.PARENT.label, parent_email, ""))

        # Each app adds its own demo records, through its own services (its contribution's demo).
        users[Role.PARENT] = User.objects.get(email=parent_email)
        demo = DemoSchool(school=school, people=users, pupils=pupils)
        for contribution in contributions():
            if contribution.demo:
                contribution.demo(demo)
        return logins

    def _print(self, logins: list[tuple]) -> None:
        w = self.stdout.write
        w(self.style.SUCCESS("Demo school created: Hollybrook Primary School (demo)"))
        w(f"Every demo user's password: {DEMO_PASSWORD}")
        for label, email, secret in logins:
            line = f"  {label:<32} {email}"
            if secret:
                line += f"   TOTP secret {secret}"
            w(line)
        if any(secret for *_, secret in logins):
            w(
                "Privileged users sign in with a code from an authenticator app: add the TOTP "
                f"secret to one, or run `{_python()} manage.py demo_totp EMAIL` for the current "
                "code."
            )


def _python() -> str:
    # The interpreter that runs this command (.venv/bin/python under make): a bare `python`
    # outside the venv has no Django.
    executable = Path(sys.executable)
    try:
        return str(executable.relative_to(Path.cwd()))
    except ValueError:
        return str(executable)


def _enrol_totp(user) -> str:
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret
