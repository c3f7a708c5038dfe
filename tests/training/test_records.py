"""A member adds their own record with a certificate checked by content and kept privately;
it is served only to them and to those who check it, every read audited; another's record is
as if it did not exist; the online safety lead, the DSL or the head verifies it."""

import datetime

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from esafety.audit.models import AuditEvent
from tests.training.conftest import PDF, PNG, pdf
from training.certificates import CertificateRefused
from training.models import TrainingRecord
from training.services.common import TrainingError
from training.services.records import record_add, record_verify

pytestmark = pytest.mark.django_db


def _add(personas, course, who=None, **kw):
    return record_add(
        actor=who or personas.staff,
        school=personas.school,
        course=course,
        completed_on=kw.pop("completed_on", timezone.localdate() - datetime.timedelta(days=3)),
        provider=kw.pop("provider", "Local authority"),
        certificate=kw.pop("certificate", pdf()),
    )


def _url(name, personas, record=None):
    args = [personas.school.code] + ([record.code] if record else [])
    return reverse(f"training:{name}", args=args)


def test_a_member_adds_their_own_record_through_the_form(personas, client_for, induction):
    client = client_for(personas.staff)
    response = client.post(
        _url("record_new", personas),
        {
            "course": induction.pk,
            "completed_on": (timezone.localdate() - datetime.timedelta(days=2)).isoformat(),
            "provider": "Local authority",
            "certificate": SimpleUploadedFile("my cert.png", PNG, content_type="image/png"),
        },
    )
    assert response.status_code == 302
    record = TrainingRecord.objects.get()
    assert (record.person, record.added_by, record.is_verified) == (
        personas.staff,
        personas.staff,
        False,
    )
    assert record.certificate_type == "image/png"
    # Stored under a random name outside any public folder.
    assert "my cert" not in record.certificate.name
    assert record.certificate.path.startswith(str(settings.MEDIA_ROOT))
    assert AuditEvent.objects.filter(action="training.record_added").count() == 1


@pytest.mark.parametrize(
    "name, content",
    [
        ("certificate.pdf", b"<html><script>alert(1)</script></html>"),
        ("certificate.png", b"MZ\x90\x00 an executable"),
        ("certificate.jpg", b"just some text"),
    ],
)
def test_a_certificate_that_is_not_a_pdf_or_image_by_content_is_refused(
    personas, client_for, induction, name, content
):
    with pytest.raises(CertificateRefused):
        _add(personas, induction, certificate=SimpleUploadedFile(name, content))
    response = client_for(personas.staff).post(
        _url("record_new", personas),
        {
            "course": induction.pk,
            "completed_on": timezone.localdate().isoformat(),
            "provider": "LA",
            "certificate": SimpleUploadedFile(name, content),
        },
    )
    assert response.status_code == 200
    assert "not a PDF" in response.content.decode()
    assert not TrainingRecord.objects.exists()


def test_a_date_in_the_future_is_refused_and_what_was_typed_stays(personas, client_for, induction):
    response = client_for(personas.staff).post(
        _url("record_new", personas),
        {
            "course": induction.pk,
            "completed_on": (timezone.localdate() + datetime.timedelta(days=1)).isoformat(),
            "provider": "Typed provider",
        },
    )
    assert response.status_code == 200
    assert "cannot be in the future" in response.content.decode()
    assert "Typed provider" in response.content.decode()


def test_the_same_course_on_the_same_day_twice_is_refused(personas, induction):
    _add(personas, induction)
    with pytest.raises(TrainingError):
        _add(personas, induction)
    assert TrainingRecord.objects.count() == 1


def test_a_parent_cannot_add_a_record(personas, induction):
    with pytest.raises(TrainingError):
        _add(personas, induction, who=personas.parent)


def test_staff_see_only_their_own_records(personas, client_for, induction):
    mine = _add(personas, induction)
    theirs = _add(personas, induction, who=personas.office)
    client = client_for(personas.staff)
    page = client.get(_url("mine", personas)).content.decode()
    assert reverse("training:record_detail", args=[personas.school.code, mine.code]) in page
    assert str(theirs.code) not in page
    # Another's record, and its certificate, are as if they did not exist.
    assert client.get(_url("record_detail", personas, theirs)).status_code == 404
    assert client.get(_url("certificate", personas, theirs)).status_code == 404
    assert not AuditEvent.objects.filter(action="training.certificate_read").exists()
    # The deputy DSL does not check certificates: the same.
    deputy = client_for(personas.deputy_dsl)
    assert deputy.get(_url("record_detail", personas, theirs)).status_code == 404


def test_the_certificate_is_served_to_its_owner_and_checkers_and_audited(
    personas, client_for, induction
):
    record = _add(personas, induction)
    for who in (personas.staff, personas.online_safety_lead):
        response = client_for(who).get(_url("certificate", personas, record))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cache-Control"] == "private, no-store"
        assert response["Content-Disposition"].startswith("attachment")
    reads = AuditEvent.objects.filter(action="training.certificate_read")
    assert sorted(e.actor.email for e in reads) == sorted(
        [personas.staff.email, personas.online_safety_lead.email]
    )


def test_another_schools_record_is_a_404(personas, client_for, induction):
    record = _add(personas, induction)
    assert (
        client_for(personas.other_dsl).get(_url("record_detail", personas, record)).status_code
        == 404
    )


def test_the_online_safety_lead_verifies_a_record(personas, client_for, induction):
    record = _add(personas, induction)
    response = client_for(personas.online_safety_lead).post(_url("record_verify", personas, record))
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.verified_by == personas.online_safety_lead
    assert AuditEvent.objects.filter(
        action="training.record_verified", object_code=str(record.code)
    ).exists()
    with pytest.raises(TrainingError, match="already"):
        record_verify(actor=personas.head, record=record)


def test_nobody_verifies_their_own_record(personas, induction):
    record = _add(personas, induction, who=personas.online_safety_lead)
    with pytest.raises(TrainingError, match="Someone else"):
        record_verify(actor=personas.online_safety_lead, record=record)


@pytest.mark.parametrize("who", ["staff", "deputy_dsl", "governor"])
def test_those_who_do_not_check_certificates_cannot_verify(personas, induction, who):
    record = _add(personas, induction)
    with pytest.raises(TrainingError):
        record_verify(actor=personas.for_role(who), record=record)
    assert not TrainingRecord.objects.get().is_verified


def test_the_queue_lists_what_is_waiting_but_not_the_readers_own(personas, client_for, induction):
    theirs = _add(personas, induction)
    own = _add(personas, induction, who=personas.online_safety_lead)
    page = client_for(personas.online_safety_lead).get(_url("to_verify", personas)).content
    assert str(theirs.code).encode() in page
    assert str(own.code).encode() not in page


def test_a_checker_who_cannot_accept_a_record_says_why_and_its_owner_corrects_it(
    personas, client_for, induction
):
    from esafety.notify.models import Message

    record = _add(personas, induction)
    client = client_for(personas.dsl)
    # Without a reason nothing changes, and the page says what is missing.
    response = client.post(_url("record_reject", personas, record), {"reason": " "})
    assert response.status_code == 400
    record.refresh_from_db()
    assert not record.is_rejected
    response = client.post(
        _url("record_reject", personas, record), {"reason": "The certificate is for Prevent."}
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.rejected_by, record.rejection_reason) == (
        personas.dsl,
        "The certificate is for Prevent.",
    )
    assert AuditEvent.objects.filter(action="training.record_rejected").exists()
    message = Message.objects.get(recipient=personas.staff)
    assert "needs correcting" in message.subject
    assert "Prevent" not in message.body  # the reason is on the page, not in the email
    page = client_for(personas.staff).get(_url("record_detail", personas, record)).content
    assert b"The certificate is for Prevent." in page
    # It never counts, cannot be verified after all, and leaves the queue.
    with pytest.raises(TrainingError):
        record_verify(actor=personas.head, record=record)
    queue = client_for(personas.head).get(_url("to_verify", personas)).content
    assert str(record.code).encode() not in queue
    # The owner adds the corrected one for the same day.
    corrected = _add(personas, induction, completed_on=record.completed_on)
    assert corrected.pk != record.pk
