"""The annual review: the senior leader completes it, the named governor signs it off."""

from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from esafety.people.access import SchoolAccess, school_view
from filtering.forms import ReviewForm, SignForm
from filtering.models import ReviewItem, RoleKind
from filtering.selectors import evidence as selectors
from filtering.selectors import status
from filtering.services import reviews as services
from filtering.services.common import current_roles
from filtering.standards import REVIEW_QUESTIONS
from filtering.views.common import GOVERNORS, KEEPERS, READERS, ctx, form_page


@school_view(*READERS, *GOVERNORS)
def reviews(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    return render(
        request,
        "filtering/review_list.html",
        ctx(
            access,
            page=selectors.reviews(school=access.school),
            review_status=status.review_status(school=access.school, today=timezone.localdate()),
        ),
    )


@school_view(*KEEPERS)
def review_new(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    form = ReviewForm(request.POST or None)
    made = {}

    def do() -> None:
        made["review"] = services.review_complete(
            school=access.school,
            actor=request.user,
            answers=form.answers(),
            summary=form.cleaned_data["summary"],
        )

    leader = current_roles(access.school).get(RoleKind.SENIOR_LEADER)
    return form_page(
        request,
        access,
        form=form,
        do=do,
        done="The review is complete. The named governor is asked to sign it off.",
        then=lambda: reverse(
            "filtering:review_detail", args=[access.school.code, made["review"].code]
        ),
        template="filtering/review_form.html",
        items=[(form[v], form[f"{v}_note"]) for v in ReviewItem.values],
        leader=leader,
    )


def _review(access: SchoolAccess, code: UUID):
    found = selectors.review_for(school=access.school, code=code)
    if found is None:
        raise Http404("No such review")
    return found


def _items(review) -> list[tuple[str, str, dict]]:
    return [
        (label, REVIEW_QUESTIONS[value], review.answers.get(value, {}))
        for value, label in ReviewItem.choices
    ]


def _is_named_governor(access: SchoolAccess) -> bool:
    named = current_roles(access.school).get(RoleKind.GOVERNOR)
    return named is not None and named.user_id == access.user.pk


@school_view(*READERS, *GOVERNORS)
def review_detail(request: HttpRequest, access: SchoolAccess, review: UUID) -> HttpResponse:
    found = _review(access, review)
    return render(
        request,
        "filtering/review_detail.html",
        ctx(access, review=found, items=_items(found), may_sign=_is_named_governor(access)),
    )


@school_view(*GOVERNORS)
def review_sign(request: HttpRequest, access: SchoolAccess, review: UUID) -> HttpResponse:
    found = _review(access, review)
    form = SignForm(request.POST or None)
    return form_page(
        request,
        access,
        form=form,
        do=lambda: services.review_sign(
            review=found, actor=request.user, signature=form.cleaned_data["signature"]
        ),
        done="You signed the review off. The next one is due in a year.",
        then=lambda: reverse("filtering:review_detail", args=[access.school.code, found.code]),
        template="filtering/review_sign.html",
        review=found,
        items=_items(found),
        may_sign=_is_named_governor(access),
    )
