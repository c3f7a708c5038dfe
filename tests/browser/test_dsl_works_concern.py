"""The DSL works concerns in the browser: acknowledge, record, refer, close; and a sharing-nudes
concern through the initial review and the five questions. Every page is checked by axe."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from esafety.audit.models import AuditEvent
from incidents import services
from incidents.categories import KEPT_BY, NUDES_QUESTIONS
from incidents.models import Concern, PupilRole, Status
from tests.browser.harness import PHONE, Visitor, sign_in, totp_code
from tests.factories import PASSWORD, TEST_TOTP_SECRET, PupilFactory
from tests.incidents.conftest import png

pytestmark = pytest.mark.browser


def sign_in_with_code(visitor: Visitor, user) -> None:
    page = visitor.page
    sign_in(visitor, user.email, PASSWORD)
    assert visitor.path() == "/accounts/2fa/authenticate/"
    page.get_by_label("Code").fill(totp_code(TEST_TOTP_SECRET))
    visitor.submit(page.get_by_role("button", name="Sign in"))


def record_step(visitor: Visitor, key: str, outcome: str = "Done", note: str = "") -> None:
    page = visitor.page
    item = page.locator(f"#step-{key}")
    item.locator("summary").click()
    item.get_by_label(outcome, exact=True).check()
    if note:
        item.get_by_label("Note").fill(note)
    visitor.submit(item.get_by_role("button", name="Save"))
    expect(page.locator(f"#step-{key}")).not_to_contain_text("To do")


def test_it_lets_the_dsl_acknowledge_refer_and_close_a_cyberbullying_concern(
    open_visitor, personas
):
    pupil = PupilFactory(
        school=personas.school, first_name="Ottoline", last_name="Vane", year_group="Year 5"
    )
    concern = services.concern_log(
        actor=personas.staff,
        school=personas.school,
        category="cyberbullying",
        occurred_at=timezone.now() - datetime.timedelta(hours=2),
        location="Class group chat",
        what_happened="Ottoline was sent unkind messages in the class group chat.",
        pupils=[services.InvolvedPupil(pupil, PupilRole.AFFECTED)],
        files=[png()],
    )
    other = services.concern_log(
        actor=personas.staff,
        school=personas.school,
        category="misuse",
        occurred_at=timezone.now(),
        location="ICT suite",
        what_happened="A password was shared.",
        pupils=[],
    )
    visitor = open_visitor()
    page = visitor.page
    sign_in_with_code(visitor, personas.dsl)
    assert page.get_by_test_id("unacknowledged").inner_text() == "2 waiting to be acknowledged"

    visitor.follow(visitor.menu("Concerns", "Safeguarding"))
    assert page.get_by_role("heading", level=1).inner_text() == "Concerns"
    waiting = page.get_by_test_id("waiting")
    expect(waiting).to_contain_text(concern.reference)
    expect(waiting).to_contain_text(other.reference)

    # Every concern is on a page of its own, where the filters update the list in place: no
    # new page is loaded.
    visitor.follow(page.get_by_role("link", name="All concerns"))
    assert page.get_by_role("heading", level=1).inner_text() == "All concerns"
    loads = len(visitor.loads)
    page.get_by_label("Category").select_option(label="Cyberbullying")
    listed = page.get_by_test_id("concern-list")
    expect(listed).not_to_contain_text(other.reference)
    expect(listed).to_contain_text(concern.reference)
    expect(page.locator("[data-list-status]")).to_have_text("1 concern matching the filters.")
    assert len(visitor.loads) == loads
    assert "category=cyberbullying" in visitor.path()
    visitor.check()

    visitor.follow(listed.get_by_role("link", name=concern.reference))
    assert page.get_by_role("heading", level=1).inner_text() == f"Concern {concern.reference}"
    expect(page.get_by_test_id("what-happened")).to_contain_text("unkind messages")
    visitor.submit(page.get_by_role("button", name="Acknowledge this concern"))
    expect(page.get_by_role("status")).to_contain_text(f"{concern.reference} acknowledged.")
    expect(page.get_by_test_id("status")).to_have_text("Acknowledged")

    # A referral, with the agency's reference.
    page.get_by_text("Record a referral, or a decision not to refer").click()
    page.get_by_label("Referred to an outside agency").check()
    page.get_by_label("Agency", exact=True).select_option(label="Children's social care")
    page.get_by_label("Date referred").fill(timezone.localdate().isoformat())
    page.get_by_label("The agency's reference").fill("CSC-2026-0042")
    page.get_by_label("Reasons").fill("Repeated threats; the family asked for support.")
    visitor.submit(page.get_by_role("button", name="Record", exact=True))
    expect(page.get_by_test_id("referrals")).to_contain_text("Children's social care")
    expect(page.get_by_test_id("referrals")).to_contain_text("CSC-2026-0042")

    page.get_by_label("New status").select_option(label="Awaiting outside agency")
    visitor.submit(page.get_by_role("button", name="Change status"))
    expect(page.get_by_test_id("status")).to_have_text("Awaiting outside agency")

    # Closing too early is refused, with everything that is missing listed.
    visitor.follow(page.get_by_role("link", name="Close this concern…"))
    expect(page.get_by_test_id("missing")).to_contain_text("Procedure step not done: Evidence kept")
    visitor.submit(page.get_by_role("button", name="Close the concern"))
    refused = page.get_by_test_id("refused")
    expect(refused).to_contain_text("Procedure step not done: Incident recorded")
    expect(refused).to_contain_text("Write the outcome.")
    expect(refused).to_contain_text("Say whether the parents were informed.")
    visitor.follow(page.get_by_role("link", name="Go back to the concern to record them"))

    # "Parents informed" is answered when the concern is closed, not ticked here as well.
    expect(page.locator("#step-inform_parents")).to_contain_text(
        "Answered when the concern is closed"
    )
    for key in ("record", "evidence", "identify", "sanctions"):
        record_step(visitor, key)
    record_step(visitor, "removal", "Not applicable", "The messages were deleted by the sender.")

    # A note, then a correction shown beside it.
    page.get_by_label("What to add").fill("Spoke to Ottoline's class teacher on Monday.")
    visitor.submit(page.get_by_role("button", name="Add to the timeline"))
    entry = page.get_by_test_id("timeline").locator("li").filter(has_text="class teacher on Monday")
    entry.locator("summary").click()
    entry.get_by_label("Correction").fill("It was Tuesday, not Monday.")
    visitor.submit(entry.get_by_role("button", name="Add the correction"))
    expect(page.get_by_test_id("correction")).to_contain_text("It was Tuesday, not Monday.")

    visitor.follow(page.get_by_role("link", name="Close this concern…"))
    expect(page.get_by_test_id("missing")).to_contain_text("Every required step is recorded.")
    page.get_by_label("Outcome").fill("Messages removed; apologies made; parents met.")
    page.get_by_label("Lessons learnt").fill("Remind Year 5 about the class chat rules.")
    page.get_by_label("Yes").check()
    visitor.submit(page.get_by_role("button", name="Close the concern"))
    expect(page.get_by_role("status")).to_contain_text(f"{concern.reference} closed.")
    expect(page.get_by_test_id("status")).to_have_text("Closed")

    # The pupil's chronology, from the concern: every entry, ready to print.
    visitor.follow(page.get_by_role("link", name="Chronology of Ottoline Vane"))
    assert page.get_by_role("heading", level=1).inner_text() == "Chronology: Ottoline Vane"
    expect(page.get_by_test_id("chronology")).to_contain_text("It was Tuesday, not Monday.")
    expect(page.get_by_role("button", name="Print this chronology")).to_be_visible()
    assert AuditEvent.objects.filter(action="chronology.read", object_code=str(concern.code))

    concern.refresh_from_db()
    assert concern.status == Status.CLOSED
    assert concern.parents_informed is True
    assert concern.steps.get(key="inform_parents").state == "done"
    assert concern.referrals.get().reference == "CSC-2026-0042"
    reads = AuditEvent.objects.filter(action="concern.read", object_code=str(concern.code))
    assert reads.count() >= 10


def test_it_lets_the_dsl_work_a_nudes_concern_through_the_review_and_the_questions(
    open_visitor, personas
):
    pupils = [
        PupilFactory(school=personas.school, first_name="Perpetua", year_group="Year 6"),
        PupilFactory(school=personas.school, first_name="Barnaby", year_group="Year 6"),
    ]
    concern = services.concern_log(
        actor=personas.staff,
        school=personas.school,
        category="nudes",
        occurred_at=timezone.now() - datetime.timedelta(hours=1),
        location="Playground",
        what_happened="A pupil said an image had been shared between two Year 6 pupils.",
        pupils=[
            services.InvolvedPupil(pupils[0], PupilRole.AFFECTED),
            services.InvolvedPupil(pupils[1], PupilRole.ALLEGED),
        ],
        told_dsl_in_person=True,
    )
    # On a phone: the DSL is rarely at a desk when this happens.
    visitor = open_visitor(viewport=PHONE)
    page = visitor.page
    sign_in_with_code(visitor, personas.dsl)
    # Every form the DSL submits from here to closed (issue 7: the same fact recorded once).
    posted: list[str] = []
    page.on("request", lambda r: r.method == "POST" and posted.append(r.url))
    visitor.visit(f"/s/{personas.school.code}/concerns/{concern.code}/")
    assert "nothing can be attached" not in page.content()
    visitor.submit(page.get_by_role("button", name="Acknowledge this concern"))

    review = page.get_by_test_id("nudes-review")
    review.get_by_label("Date of the meeting").fill(timezone.localdate().isoformat())
    review.get_by_label("Who attended").fill("DSL, head of Year 6")
    review.get_by_label("Summary").fill("Consensual exchange between two pupils of the same age.")
    visitor.submit(review.get_by_role("button", name="Record the meeting"))
    expect(page.get_by_role("status")).to_contain_text("Now answer the five questions.")

    for number, (_key, text) in enumerate(NUDES_QUESTIONS, start=1):
        review = page.get_by_test_id("nudes-review")
        question = review.get_by_role("group", name=f"Question {number} of 5: {text}")
        expect(question).to_be_visible()
        question.get_by_label("No").check()
        visitor.submit(review.get_by_role("button", name="Record the answer"))
        expect(page.get_by_test_id("nudes-answers").locator("li")).to_have_count(number)

    outcome = page.get_by_test_id("nudes-outcome")
    expect(outcome).to_contain_text("All five answers were no")
    outcome.get_by_label("Why it can be handled in school").fill(
        "Same age, consensual, no aggravating factors; images deleted under supervision."
    )
    visitor.submit(outcome.get_by_role("button", name="Record the decision"))
    expect(page.get_by_test_id("nudes-outcome")).to_contain_text("Decision recorded")

    # The acknowledgement, the meeting and the decision did their steps, linked to their records;
    # the DSL ticks only what no record does.
    for key in ("notify_dsl", "initial_review", "referral_decision"):
        step = page.locator(f"#step-{key}")
        expect(step).to_contain_text("Done")
        expect(step.get_by_role("link", name="the record")).to_be_visible()
    for key in concern.steps.exclude(key__in=KEPT_BY).values_list("key", flat=True):
        record_step(visitor, key)

    visitor.follow(page.get_by_role("link", name="Close this concern…"))
    page.get_by_label("Outcome").fill("Handled in school; both pupils supported.")
    page.get_by_label("Lessons learnt").fill("Add sharing images to the Year 6 PSHE lessons.")
    page.get_by_label("No", exact=True).check()
    page.get_by_label("If not, why not").fill(
        "Parents told by the pupils themselves, with support."
    )
    visitor.submit(page.get_by_role("button", name="Close the concern"))
    expect(page.get_by_test_id("status")).to_have_text("Closed")
    # Before issue 7 the journey took 19 forms: every one of the ten steps was ticked by hand
    # as well as the records that said the same thing.
    assert len(posted) == 15, posted

    concern = Concern.objects.get(pk=concern.pk)
    assert concern.status == Status.CLOSED
    assert [a.answer for a in concern.nudes_answers.order_by("id")] == [False] * 5
    decision = concern.referrals.get()
    assert not decision.referred and "Same age" in decision.reasons
    assert not concern.steps.filter(state="open").exists()
    parents = concern.steps.get(key="inform_parents")
    assert (parents.state, parents.note) == (
        "not_applicable",
        "Parents told by the pupils themselves, with support.",
    )
