"""Evidence served from a concern: to those who work concerns, audited, never to others."""

import pytest

from esafety.audit.models import AuditEvent
from tests.incidents.conftest import pdf, png
from tests.incidents.helpers import url


def test_it_serves_a_screenshot_to_the_dsl_and_audits_it(personas, dsl_client, concern):
    attachment = concern.attachments.get()
    response = dsl_client.get(url("attachment", concern, attachment.code))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")
    assert "screenshot" not in response["Content-Disposition"]  # our name, not the uploaded one
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    event = AuditEvent.objects.get(action="attachment.read")
    assert (event.actor, event.object_code) == (personas.dsl, str(concern.code))


def test_it_sends_a_pdf_as_a_download(dsl_client, log_concern):
    concern = log_concern("cyberbullying", files=[pdf()])
    attachment = concern.attachments.get()
    response = dsl_client.get(url("attachment", concern, attachment.code))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_it_answers_404_for_an_attachment_of_another_concern(dsl_client, log_concern):
    one, other = log_concern(files=[png()]), log_concern(files=[png()])
    response = dsl_client.get(url("attachment", one, other.attachments.get().code))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="attachment.read").exists()


@pytest.mark.parametrize("who", ["staff", "office", "governor", "parent"])
def test_it_refuses_the_attachment_to_those_who_do_not_work_concerns(
    personas, client_for, concern, who
):
    attachment = concern.attachments.get()
    response = client_for(getattr(personas, who)).get(url("attachment", concern, attachment.code))
    assert response.status_code == 403


def test_it_hides_the_attachment_from_another_schools_dsl(personas, client_for, concern):
    attachment = concern.attachments.get()
    response = client_for(personas.other_dsl).get(url("attachment", concern, attachment.code))
    assert response.status_code == 404
