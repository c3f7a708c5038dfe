import time

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from esafety.people.models import User


class Command(BaseCommand):
    help = "Print the current TOTP code of a demo user (development only)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("email")

    def handle(self, *args, email: str, **options) -> None:
        if settings.PRODUCTION:
            raise CommandError("demo_totp is for the demo school; it never runs in production.")
        user = User.objects.filter(email=email.lower()).first()
        # The scale data set (seed_scale) is as fictional as the demo school.
        if user is None or not user.email.endswith(("@demo.esafety.test", ".scale.esafety.test")):
            raise CommandError(f"{email} is not a demo user.")
        authenticator = Authenticator.objects.filter(
            user=user, type=Authenticator.Type.TOTP
        ).first()
        if authenticator is None:
            raise CommandError(f"{email} has not set up an authenticator yet.")
        secret = decrypt(authenticator.data["secret"])
        counter = int(time.time()) // 30
        self.stdout.write(format_hotp_value(hotp_value(secret, counter)))
