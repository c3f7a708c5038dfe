import pytest
from django.core.management import call_command

from esafety.notify.models import Message
from esafety.people import services
from esafety.people.models import Pupil, Role, School, User
from tests.browser.harness import PHONE, sign_in

pytestmark = pytest.mark.browser

PARENT = "robin.parent@example.test"


def test_it_lets_the_office_invite_a_parent_who_then_sees_their_child(open_visitor):
    call_command("seed_demo", "--pupils", "10", stdout=None)
    school = School.objects.get(urn="999001")
    office = open_visitor()
    page = office.page

    sign_in(office, "office@demo.esafety.test", "demo-esafety-2026")
    office.follow(office.menu("Invitations", "School"))
    assert page.get_by_role("heading", level=1).inner_text() == "Invitations"

    email = page.get_by_label("Email")
    email.fill("robin.parent at example")
    page.get_by_label("Role").select_option(label="Parent or carer")
    office.submit(page.get_by_role("button", name="Send invitation"))
    assert email.get_attribute("aria-invalid") == "true"
    assert "Enter a valid email address." in page.locator(".invalid-feedback").inner_text()
    assert not Message.objects.filter(kind=Message.Kind.INVITATION, to_email=PARENT).exists()

    email.fill(PARENT)
    page.get_by_label("Role").select_option(label="Parent or carer")
    office.submit(page.get_by_role("button", name="Send invitation"))
    assert page.get_by_role("status").inner_text().strip() == f"Invitation sent to {PARENT}."
    row = page.get_by_role("row").filter(has_text=PARENT)
    assert "Parent or carer" in row.inner_text()
    assert "Waiting" in row.inner_text()

    # The roster lists this parent for one pupil; accepting links them to that pupil only.
    pupil = Pupil.objects.filter(school=school).order_by("mis_id").last()
    services.guardian_add(
        actor=User.objects.get(email="office@demo.esafety.test"),
        pupil=pupil,
        email=PARENT,
        full_name="Robin Parent",
        relationship="Mother",
    )
    link = Message.objects.get(kind=Message.Kind.INVITATION, to_email=PARENT).link

    parent = open_visitor(PHONE, is_mobile=True, has_touch=True)
    page = parent.page
    parent.visit(link)
    assert page.get_by_role("heading", level=1).inner_text() == f"Join {school.name} on esafety"
    page.get_by_label("Your name").fill("Robin Parent")
    page.get_by_label("Choose a password").fill("short-pass")
    page.get_by_label("Type the password again").fill("short-pass")
    parent.submit(page.get_by_role("button", name="Accept invitation"))
    password = page.get_by_label("Choose a password")
    assert password.get_attribute("aria-invalid") == "true"
    assert "at least 12 characters" in page.locator(".invalid-feedback").inner_text()
    assert not User.objects.filter(email=PARENT).exists()

    password.fill("kestrel-harbour-lantern")
    page.get_by_label("Type the password again").fill("kestrel-harbour-lantern")
    parent.submit(page.get_by_role("button", name="Accept invitation"))
    assert parent.path() == f"/s/{school.code}/"
    assert page.get_by_test_id("roles").inner_text() == Role.PARENT.label
    children = page.get_by_role("region", name="Your children")
    # Linked to exactly one child, whose AUP is still to co-sign.
    assert children.get_by_role("listitem").all_inner_texts() == [
        f"{pupil.first_name} {pupil.last_name} ({pupil.year_group}, {pupil.school_class.name})"
    ]
    agreements = page.get_by_role("region", name="Agreements to co-sign")
    [status] = agreements.get_by_role("listitem").all_inner_texts()
    assert status.startswith(f"{pupil.first_name}: to co-sign")
