import datetime

import factory
from allauth.mfa.models import Authenticator

from esafety.people.models import Guardian, Membership, Pupil, Role, School, SchoolClass, User

PASSWORD = "correct horse battery staple"


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    name = factory.Sequence(lambda n: f"Test Primary School {n}")
    urn = factory.Sequence(lambda n: f"{900000 + n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    school = factory.SubFactory(SchoolFactory)
    role = Role.STAFF


class SchoolClassFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolClass

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"Class {n}")
    year_group = "Year 5"


class PupilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pupil

    school = factory.SubFactory(SchoolFactory)
    mis_id = factory.Sequence(lambda n: f"MIS{n:05d}")
    first_name = factory.Sequence(lambda n: f"Pupil{n}")
    last_name = "Testchild"
    date_of_birth = datetime.date(2015, 3, 14)
    year_group = "Year 5"


class GuardianFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Guardian

    pupil = factory.SubFactory(PupilFactory)
    email = factory.Sequence(lambda n: f"guardian{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Guardian {n}")
    relationship = "Mother"


# A fixed base32 secret so browser tests can compute codes; never used outside tests.
TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def enrol_totp(user: User, secret: str = TEST_TOTP_SECRET) -> Authenticator:
    from allauth.mfa.totp.internal.auth import TOTP

    return TOTP.activate(user, secret).instance
