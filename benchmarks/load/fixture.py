"""What the load test's simulated people need from the seeded school, as JSON on stdout: the
school's code, the emails and TOTP secrets of its DSL and of a member of staff, and samples of
concern and pupil codes to open and to name in new concerns.

    DATABASE_URL=postgres://... .venv/bin/python benchmarks/load/fixture.py --seed scale

run.py calls it outside production (it reads a TOTP secret, as manage.py demo_totp does).
"""

import argparse
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "esafety.settings")

import django

django.setup()

from allauth.mfa.models import Authenticator  # noqa: E402
from allauth.mfa.utils import decrypt  # noqa: E402
from django.conf import settings  # noqa: E402

from esafety.people import scale  # noqa: E402
from esafety.people.management.commands import seed_demo  # noqa: E402
from esafety.people.models import Membership, Pupil, Role, School  # noqa: E402
from incidents.models import Concern  # noqa: E402

# The school each seed makes first (URN) and every one of its users' password.
SEEDS = {
    "scale": (str(scale.URN_BASE + 1), scale.SCALE_PASSWORD),
    "demo": ("999001", seed_demo.DEMO_PASSWORD),
}
SAMPLE = 200


def persona(school: School, role: Role) -> dict:
    membership = (
        Membership.objects.filter(school=school, role=role, is_active=True)
        .select_related("user")
        .order_by("id")
        .first()
    )
    if membership is None:
        sys.exit(f"school {school.urn} has no {role.label}")
    user = membership.user
    totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    return {"email": user.email, "totp_secret": decrypt(totp.data["secret"]) if totp else ""}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", choices=SEEDS, required=True, help="what seeded the school")
    args = parser.parse_args()
    if settings.PRODUCTION:
        sys.exit("fixture.py reads demo TOTP secrets; it never runs in production.")
    urn, password = SEEDS[args.seed]
    school = School.objects.filter(urn=urn).first()
    if school is None:
        sys.exit(f"no school with URN {urn}: {args.seed} has not seeded this database")
    # The newest concerns and a spread of pupils on roll: what a DSL opens on a school day.
    concerns = Concern.objects.filter(school=school).order_by("-id").values_list("code", flat=True)
    pupils = Pupil.objects.filter(school=school, left_date__isnull=True).order_by("id")
    pupil_codes = list(pupils.values_list("code", flat=True))
    step = max(1, len(pupil_codes) // SAMPLE)
    data = {
        "school": str(school.code),
        "password": password,
        "personas": {
            "dsl": persona(school, Role.DSL),
            "staff": persona(school, Role.STAFF),
        },
        "concerns": [str(c) for c in concerns[:SAMPLE]],
        "pupils": [str(c) for c in pupil_codes[::step][:SAMPLE]],
    }
    if not data["concerns"] or not data["pupils"]:
        sys.exit(f"school {urn} has no concerns or no pupils on roll to load-test with")
    json.dump(data, sys.stdout)


if __name__ == "__main__":
    main()
