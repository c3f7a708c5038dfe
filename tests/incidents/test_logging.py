"""Logging a concern (the service): the procedure it copies, who is alerted, the evidence kept
or refused, the pupils and staff it names."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from esafety.notify.models import Message
from esafety.notify.tasks import sweep_outbox
from incidents import procedure, services
from incidents.categories import CATEGORIES, IMAGE_CATEGORIES, Category, Route
from incidents.evidence import EvidenceRefused
from incidents.models import Attachment, Concern, StepState
from tests.factories import PupilFactory
from tests.incidents.conftest import PDF, PNG, pdf, png


def _recipients(concern) -> set[str]:
    return set(
        Message.objects.filter(link__contains=str(concern.code)).values_list("to_email", flat=True)
    )


@pytest.mark.parametrize("category", list(CATEGORIES))
def test_it_copies_each_categorys_procedure_and_route(log_concern, category):
    concern = log_concern(category)
    expected = CATEGORIES[category]
    assert concern.four_c == expected.four_c
    assert concern.route == expected.route
    assert [(s.key, s.label, s.required) for s in concern.steps.all()] == [
        (s.key, s.label, s.required) for s in expected.steps
    ]
    assert all(s.state == StepState.OPEN for s in concern.steps.all())


def test_it_keeps_the_copied_procedure_when_the_category_changes_later(log_concern, monkeypatch):
    import dataclasses

    from incidents.categories import Step

    old = log_concern("misinformation")
    changed = dataclasses.replace(
        CATEGORIES[Category.MISINFORMATION], steps=(Step("new_step", "A step added later"),)
    )
    monkeypatch.setitem(CATEGORIES, Category.MISINFORMATION, changed)
    new = log_concern("misinformation")
    assert [s.key for s in new.steps.all()] == ["new_step"]
    assert [s.key for s in Concern.objects.get(pk=old.pk).steps.all()] == ["record", "education"]


@pytest.mark.parametrize(
    "category,expected",
    [
        ("cyberbullying", {"dsl", "deputy_dsl"}),
        ("nudes", {"dsl", "deputy_dsl"}),
        ("filtering_breach", {"online_safety_lead", "dsl"}),
        ("misinformation", {"online_safety_lead", "dsl"}),
        ("staff_conduct", {"head"}),
    ],
)
def test_it_alerts_the_people_the_route_names(personas, log_concern, category, expected):
    concern = log_concern(category)
    emails = {personas.for_role(r).email for r in expected}
    assert _recipients(concern) == emails


def test_it_sends_a_concern_about_the_head_to_the_chair_and_never_the_head(personas, log_concern):
    concern = log_concern("staff_conduct", staff=[personas.head])
    assert _recipients(concern) == {personas.chair.email}


def test_it_never_alerts_someone_the_concern_is_about(personas, log_concern):
    concern = log_concern("cyberbullying", staff=[personas.deputy_dsl])
    assert _recipients(concern) == {personas.dsl.email}


def test_alerts_name_no_child_and_carry_no_narrative(personas, log_concern, pupil):
    log_concern("cyberbullying", what_happened="Zephyrine was sent cruel messages by a classmate.")
    sweep_outbox()
    assert len(mail.outbox) == 2
    for email in mail.outbox:
        text = email.subject + email.body
        assert pupil.first_name not in text and pupil.last_name not in text
        assert "cruel messages" not in text
        assert "/concerns/" in email.body


@pytest.mark.parametrize("category", sorted(IMAGE_CATEGORIES))
@pytest.mark.parametrize(
    "upload",
    [
        lambda: png("photo.png"),
        lambda: png("notes.txt"),  # an image renamed to look harmless
        lambda: pdf(),
    ],
)
def test_image_categories_refuse_every_attachment(log_concern, category, upload):
    with pytest.raises(EvidenceRefused) as e:
        log_concern(category, files=[upload()])
    assert "Never attach" in str(e.value)
    assert not Concern.objects.exists()
    assert not Attachment.objects.exists()


def test_it_checks_evidence_by_content_not_name(log_concern):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("screenshot.png", b"MZ\x90\x00 not an image at all")
    with pytest.raises(EvidenceRefused) as e:
        log_concern("cyberbullying", files=[fake])
    assert "contents are something else" in str(e.value)
    assert not Concern.objects.exists()


def test_it_stores_permitted_evidence_under_a_random_name(log_concern, settings):
    concern = log_concern("cyberbullying", files=[png("Zephyrine chat.png"), pdf()])
    names = [a.file.name for a in concern.attachments.all()]
    assert len(names) == 2
    assert all("Zephyrine" not in n for n in names)
    stored = concern.attachments.get(content_type="image/png")
    assert stored.file.read() == PNG
    assert concern.attachments.get(content_type="application/pdf").file.read() == PDF
    assert str(settings.PRIVATE_ROOT) in stored.file.path


def test_a_pupil_of_another_school_cannot_be_added(personas, log_concern):
    from django.core.exceptions import ValidationError

    outsider = PupilFactory(school=personas.other_school)
    with pytest.raises(ValidationError):
        log_concern(pupils=[services.InvolvedPupil(outsider, "affected")])


def test_concern_numbers_run_per_school(personas, log_concern):
    a = log_concern()
    b = log_concern()
    assert (a.number, b.number) == (1, 2)
    assert a.reference != b.reference


def test_routes_cover_every_category():
    assert {info.route for info in CATEGORIES.values()} == set(Route)


# A member of staff named: an allegation must name them; indecent images naming them go to the
# head as well, with the LADO step required (DOMAIN.md: "DSL (head and LADO if a member of staff
# is involved)").


def test_an_allegation_about_staff_must_name_the_member_of_staff(personas, log_concern):
    with pytest.raises(ValidationError, match="must name the member of staff"):
        log_concern("staff_conduct", staff=[])
    assert not Concern.objects.exists()
    assert not Message.objects.exists()


def test_indecent_images_naming_staff_alert_the_head_and_require_the_lado_step(
    personas, log_concern
):
    concern = log_concern("iioc", staff=[personas.office])
    assert _recipients(concern) == {
        personas.dsl.email,
        personas.deputy_dsl.email,
        personas.head.email,
    }
    lado = concern.steps.get(key="lado")
    assert lado.required is True
    assert lado.label == "LADO informed where a member of staff is involved"
    assert "Procedure step not done: LADO informed where a member of staff is involved" in (
        procedure.missing_for_close(concern)
    )


def test_indecent_images_naming_nobody_go_to_the_dsl_with_the_lado_step_optional(
    personas, log_concern
):
    concern = log_concern("iioc")
    assert _recipients(concern) == {personas.dsl.email, personas.deputy_dsl.email}
    # There, should staff turn out to be involved, but nothing stops the concern closing.
    assert concern.steps.get(key="lado").required is False


def test_indecent_images_naming_the_head_alert_the_chair_and_never_the_head(personas, log_concern):
    log_concern("iioc", staff=[personas.head])
    alerted = set(Message.objects.values_list("to_email", flat=True))
    assert alerted == {personas.dsl.email, personas.deputy_dsl.email, personas.chair.email}
