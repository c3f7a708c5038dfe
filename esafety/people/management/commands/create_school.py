from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse

from esafety.notify.services import absolute_url
from esafety.people import services
from esafety.people.models import Role


class Command(BaseCommand):
    help = (
        "Create a school and invite its headteacher, who then invites everyone else. "
        "The invitation goes out by email through the outbox; its link is printed too."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--name", required=True, help="The school's name")
        parser.add_argument("--urn", required=True, help="Unique Reference Number (six digits)")
        parser.add_argument("--head-email", required=True, help="The headteacher's email")
        parser.add_argument("--timezone", default="Europe/London")

    def handle(self, *args, name: str, urn: str, head_email: str, timezone: str, **opts) -> None:
        try:
            with transaction.atomic():
                school = services.school_create(
                    actor=None, name=name.strip(), urn=urn.strip(), timezone=timezone
                )
                _invitation, token = services.invitation_create(
                    actor=None, school=school, email=head_email, role=Role.HEAD
                )
        except ValidationError as e:
            problems = "; ".join(f"{k}: {' '.join(v)}" for k, v in e.message_dict.items())
            raise CommandError(problems) from None
        self.stdout.write(self.style.SUCCESS(f"Created {school.name} (URN {school.urn})."))
        link = absolute_url(reverse("people:invitation_accept", args=[token]))
        self.stdout.write(
            f"The headteacher's invitation was emailed to {head_email.lower()}. Its link, valid "
            f"for {services.INVITATION_DAYS} days:\n  {link}"
        )
