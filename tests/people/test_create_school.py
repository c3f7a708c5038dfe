import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from esafety.notify.models import Message
from esafety.people.models import Invitation, Membership, Role, School


@pytest.mark.django_db
def test_it_creates_the_school_and_invites_its_head(client):
    out = io.StringIO()
    call_command(
        "create_school",
        "--name",
        "Meadowbank Primary",
        "--urn",
        "123456",
        "--head-email",
        "Head@Meadowbank.test",
        stdout=out,
    )
    school = School.objects.get(urn="123456")
    invitation = Invitation.objects.get(school=school)
    assert invitation.role == Role.HEAD and invitation.invited_by is None
    assert Message.objects.get(to_email="head@meadowbank.test").link.startswith("/invitations/")
    link = out.getvalue().split("/invitations/")[1].split("/")[0]
    r = client.post(
        f"/invitations/{link}/",
        {
            "full_name": "Hana Head",
            "password1": "a long passphrase 42",
            "password2": "a long passphrase 42",
        },
    )
    assert r.status_code == 302
    assert Membership.objects.filter(
        school=school, role=Role.HEAD, user__email="head@meadowbank.test"
    ).exists()


@pytest.mark.django_db
def test_it_names_what_is_wrong_and_creates_nothing():
    call_command(
        "create_school",
        "--name",
        "A",
        "--urn",
        "123456",
        "--head-email",
        "a@b.test",
        stdout=io.StringIO(),
    )
    with pytest.raises(CommandError, match="urn"):
        call_command(
            "create_school",
            "--name",
            "B",
            "--urn",
            "123456",
            "--head-email",
            "c@d.test",
            stdout=io.StringIO(),
        )
    assert School.objects.count() == 1
