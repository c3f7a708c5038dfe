"""The annual review: completed by the named senior leader, signed off by the named governor and
nobody else, the next one due a year after; overdue shows on the head's home."""

import datetime

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone

from filtering.models import AnnualReview, ReviewItem, RoleKind
from filtering.selectors import status
from filtering.services import reviews, roles
from filtering.services.common import FilteringError

ALL_MET = {item: {"met": True, "note": ""} for item in ReviewItem.values}


def _complete(personas, actor=None):
    return reviews.review_complete(
        school=personas.school, actor=actor or personas.head, answers=ALL_MET, summary="Fine."
    )


def test_only_the_named_senior_leader_completes_the_review(named):
    with pytest.raises(FilteringError):
        _complete(named, actor=named.online_safety_lead)
    assert not AnnualReview.objects.exists()
    review = _complete(named)
    assert review.completed_by == named.head
    assert review.governor == named.governor


def test_an_item_not_met_needs_a_note(named):
    answers = ALL_MET | {ReviewItem.CHECKS: {"met": False, "note": ""}}
    with pytest.raises(Exception, match="not met"):
        reviews.review_complete(school=named.school, actor=named.head, answers=answers, summary="x")
    assert not AnnualReview.objects.exists()


@pytest.mark.parametrize("who", ["head", "online_safety_lead", "chair", "dsl"])
def test_nobody_but_the_named_governor_signs(named, who):
    review = _complete(named)
    with pytest.raises(FilteringError):
        reviews.review_sign(review=review, actor=getattr(named, who), signature="Someone Else")
    review.refresh_from_db()
    assert review.signed_at is None


def test_a_governor_no_longer_named_cannot_sign(named):
    review = _complete(named)
    roles.role_assign(
        school=named.school,
        actor=named.head,
        kind=RoleKind.GOVERNOR,
        user=named.chair,
        duties="Duties.",
    )
    with pytest.raises(FilteringError):
        reviews.review_sign(review=review, actor=named.governor, signature="Gita Governor")


def test_the_named_governor_signs_and_the_next_review_is_a_year_on(named):
    review = _complete(named)
    signed = reviews.review_sign(review=review, actor=named.governor, signature=" Gita  Governor ")
    assert signed.signature == "Gita Governor"
    assert signed.next_due == timezone.localdate() + relativedelta(years=1)
    assert status.review_status(school=named.school, today=timezone.localdate()).state == "ok"
    with pytest.raises(FilteringError):
        reviews.review_sign(review=review, actor=named.governor, signature="Gita Governor")


def test_the_review_is_overdue_a_year_on_and_the_heads_home_says_so(named, client_for):
    reviews.review_sign(review=_complete(named), actor=named.governor, signature="Gita Governor")
    later = timezone.now() + datetime.timedelta(days=370)
    with time_machine.travel(later, tick=False):
        assert status.review_status(school=named.school, today=timezone.localdate()).state == (
            "overdue"
        )
        page = client_for(named.head).get(reverse("people:school_home", args=[named.school.code]))
    assert page.status_code == 200
    card = page.content.decode().split('data-testid="filtering-home"')[1].split("</ul>")[0]
    assert "Overdue" in card


def test_the_sign_page_tells_a_governor_not_named_that_they_cannot_sign(named, client_for):
    review = _complete(named)
    url = reverse("filtering:review_sign", args=[named.school.code, review.code])
    page = client_for(named.chair).get(url)
    assert 'data-testid="not-named"' in page.content.decode()
    response = client_for(named.chair).post(url, {"signature": "Chris Chair", "confirm": "on"})
    assert response.status_code == 200
    review.refresh_from_db()
    assert review.signed_at is None
    response = client_for(named.governor).post(url, {"signature": "Gita Governor", "confirm": "on"})
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.signed_at is not None


def test_the_named_governor_is_asked_to_sign_once(named):
    from filtering import reminders

    _complete(named)
    assert reminders.send_filtering_reminders(school=named.school) == 1
    assert reminders.send_filtering_reminders(school=named.school) == 0
