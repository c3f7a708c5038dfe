"""'May we use this?' before anything is published, the do-not-photograph lists (on screen and
as a PDF), and the record of every use and re-share."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode

from consent import selectors
from consent.forms import GroupForm, PublishForm, ReshareForm
from consent.models import Purpose
from consent.pdf import list_pdf_response
from consent.services.publications import publication_record, reshare_record
from consent.views.common import EMPLOYED, page, ready, uuid_or_404
from esafety.actions import submit_form
from esafety.people.access import SchoolAccess, school_view
from esafety.people.selectors import school_classes, year_groups_on_roll

PUBLICATIONS_SHOWN = 50
# The most pupils one check or list is about: a large primary's year group (four classes of
# 30). A bigger group (a year group at a very large school) is checked a class at a time, so no
# page grows with the school's size.
GROUP_LIMIT = 120
TOO_MANY = (
    f"That is more than {GROUP_LIMIT} pupils: choose one class at a time (or tick the pupils "
    "from a class's list)."
)


def _group(request: HttpRequest, access: SchoolAccess, purposes: list[Purpose]):
    """The purpose and pupils asked about: a class, a year group, or a named list (pupil
    codes, from the check's ticked pupils)."""
    classes = list(school_classes(school=access.school))
    form = GroupForm(
        request.GET or None,
        purposes=purposes,
        classes=classes,
        years=year_groups_on_roll(access.school),
    )
    codes = [uuid_or_404(c) for c in request.GET.getlist("pupil")]
    purpose = None
    pupils: list = []
    if codes and request.GET.get("purpose"):
        purpose = next((p for p in purposes if p.code.hex == request.GET["purpose"]), None)
        pupils = selectors.pupils_in_group(
            school=access.school, codes=codes[: GROUP_LIMIT + 1], limit=GROUP_LIMIT
        )
    elif request.GET and form.is_valid():
        purpose = next(p for p in purposes if p.code.hex == form.cleaned_data["purpose"])
        pupils = selectors.pupils_in_group(
            school=access.school,
            class_code=uuid_or_404(form.cleaned_data["school_class"])
            if form.cleaned_data["school_class"]
            else None,
            year_group=form.cleaned_data["year_group"],
            limit=GROUP_LIMIT,
        )
    if len(pupils) > GROUP_LIMIT:
        # Nothing is answered about part of a group: the answer must be about everyone in it.
        form.add_error(None, TOO_MANY)
        return form, None, []
    return form, purpose, pupils


@school_view(*EMPLOYED)
def check(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    purposes = ready(access)
    form, purpose, pupils = _group(request, access, purposes)
    publish_form = PublishForm(request.POST or None)
    if request.method == "POST":
        purpose = selectors.purpose_of(
            school=access.school, code=uuid_or_404(request.POST.get("purpose"))
        )
        if purpose is None:
            raise Http404("No such purpose")
        codes = [uuid_or_404(c) for c in request.POST.getlist("pupil")]
        if len(set(codes)) > GROUP_LIMIT:
            publish_form.add_error(None, TOO_MANY)
            codes = []
        chosen = selectors.pupils_in_group(school=access.school, codes=codes) if codes else []
        if len(chosen) != len(set(codes)):
            raise Http404("No such pupil")
        if publish_form.is_valid():
            data = publish_form.cleaned_data
            if submit_form(
                request,
                publish_form,
                lambda: publication_record(
                    actor=request.user,
                    purpose=purpose,
                    pupils=chosen,
                    title=data["title"],
                    channel=data["channel"],
                    reference=data["reference"],
                    published_on=data["published_on"],
                ),
                "The use is recorded: if a parent withdraws, it will come up for take-down.",
            ):
                return redirect("consent:publications", school=access.school.code)
        pupils = chosen
    register = (
        selectors.register_for(school=access.school, pupils=pupils, purpose=purpose)
        if purpose is not None and pupils
        else None
    )
    list_query = ""
    if register is not None and purpose is not None:
        list_query = urlencode(
            [("purpose", purpose.code.hex)] + [("pupil", p.code.hex) for p in pupils], doseq=True
        )
    return render(
        request,
        "consent/check.html",
        page(
            access,
            form=form,
            purpose=purpose,
            register=register,
            publish_form=publish_form,
            list_query=list_query,
        ),
    )


@school_view(*EMPLOYED)
def lists(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    purposes = ready(access)
    form, purpose, pupils = _group(request, access, purposes)
    register = (
        selectors.register_for(school=access.school, pupils=pupils, purpose=purpose)
        if purpose is not None
        else None
    )
    return render(
        request,
        "consent/lists.html",
        page(
            access,
            form=form,
            purpose=purpose,
            register=register,
            pupils=pupils,
            pdf_query=request.GET.urlencode() if register is not None else "",
        ),
    )


@school_view(*EMPLOYED)
def lists_pdf(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    purposes = ready(access)
    form, purpose, pupils = _group(request, access, purposes)
    if purpose is None:
        # Nothing asked yet: the page to ask from, with what is missing.
        return render(
            request,
            "consent/lists.html",
            page(access, form=form, purpose=None, register=None, pdf_query=""),
        )
    register = selectors.register_for(school=access.school, pupils=pupils, purpose=purpose)
    return list_pdf_response(access=access, purpose=purpose, register=register, group=len(pupils))


@school_view(*EMPLOYED)
def publications(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    rows = list(selectors.publications_of(school=access.school)[: PUBLICATIONS_SHOWN + 1])
    return render(
        request,
        "consent/publications.html",
        page(access, rows=rows[:PUBLICATIONS_SHOWN], more=len(rows) > PUBLICATIONS_SHOWN),
    )


@school_view(*EMPLOYED)
def publication(request: HttpRequest, access: SchoolAccess, publication: object) -> HttpResponse:
    use = selectors.publication_of(school=access.school, code=publication)
    if use is None:
        raise Http404("No such publication")
    form = ReshareForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and submit_form(
            request,
            form,
            lambda: reshare_record(
                actor=request.user,
                original=use,
                channel=form.cleaned_data["channel"],
                reference=form.cleaned_data["reference"],
            ),
            "The re-share is recorded against the original.",
        )
    ):
        return redirect("consent:publication", school=access.school.code, publication=use.code)
    root = use.original or use
    return render(
        request,
        "consent/publication.html",
        page(
            access,
            use=use,
            root=root,
            pupils=selectors.publication_pupils(publication=root),
            copies=list(selectors.reshares_of(publication=root)[:PUBLICATIONS_SHOWN]),
            takedowns=list(selectors.takedowns_of(publication=use)),
            form=form,
        ),
    )
