"""Accepting policies: members accept their own, parents co-sign their children's, and class
teachers record their class's sign-off."""

from dataclasses import dataclass, field
from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString

from esafety.actions import run_service
from esafety.middleware import client_ip
from esafety.people.access import SchoolAccess, school_view
from esafety.people.models import STAFF_ROLES, Pupil
from esafety.people.navigation import nav_for
from esafety.people.selectors import children_of
from policies.audiences import pupil_audience
from policies.forms.accept import AcceptForm, ClassSignoffForm
from policies.models import Acceptance, Audience, Method, PolicyVersion
from policies.outstanding import outstanding_refresh
from policies.rendering import render_markdown
from policies.selectors import accept as selectors
from policies.services.acceptances import (
    acceptance_cosign,
    acceptance_in_class,
    acceptance_record_own,
)
from policies.services.common import PolicyError


def _uuid(value: str | None) -> UUID:
    try:
        return UUID(str(value))
    except ValueError:
        raise Http404("No such item") from None


def _browser(request: HttpRequest) -> dict:
    return {"ip": client_ip(request), "user_agent": request.META.get("HTTP_USER_AGENT", "")}


# Members accept their own; parents co-sign their children's.


def _item_id(version: PolicyVersion, pupil: Pupil | None = None) -> str:
    return (
        f"own-{version.code.hex}"
        if pupil is None
        else f"cosign-{version.code.hex}-{pupil.code.hex}"
    )


def _accept_form(version: PolicyVersion, pupil: Pupil | None = None, data=None) -> AcceptForm:
    key = _item_id(version, pupil)
    return AcceptForm(
        data,
        initial={"version": version.code, "pupil": pupil.code if pupil else None},
        child_name=pupil.first_name if pupil else "",
        auto_id=f"{key}-%s",
    )


@dataclass
class ChildForm:
    child: Pupil
    form: AcceptForm
    anchor: str


@dataclass
class AcceptItem:
    version: PolicyVersion
    body: SafeString
    anchor: str
    form: AcceptForm | None = None  # accepting for oneself
    children: list[ChildForm] = field(default_factory=list)  # co-signing for each child


@school_view()
def accept(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    bound: tuple[str, AcceptForm] | None = None
    if request.method == "POST":
        version = selectors.acceptable_version(
            school=access.school, code=_uuid(request.POST.get("version"))
        )
        if version is None:
            raise Http404("No such version")
        pupil = None
        if request.POST.get("pupil"):
            # Only the parent's own children are found: another pupil's code is a 404.
            pupil = (
                children_of(user=request.user, school=access.school)
                .filter(code=_uuid(request.POST["pupil"]))
                .first()
            )
            if pupil is None:
                raise Http404("No such child")
        form = _accept_form(version, pupil, request.POST)
        if form.is_valid():
            return _record(request, access, version, pupil, form.cleaned_data["typed_name"])
        bound = (_item_id(version, pupil), form)

    outstanding = outstanding_refresh(
        request, school=access.school, user=request.user, roles=access.roles
    )
    own = [
        AcceptItem(v, render_markdown(v.body), _item_id(v), form=_accept_form(v))
        for v in outstanding.own
    ]
    cosign: dict[int, AcceptItem] = {}
    for version, child in outstanding.cosign:
        if version.pk not in cosign:
            # One text per version, however many children co-sign it.
            cosign[version.pk] = AcceptItem(
                version, render_markdown(version.body), f"aup-{version.code.hex}"
            )
        cosign[version.pk].children.append(
            ChildForm(child, _accept_form(version, child), _item_id(version, child))
        )
    if bound is not None and not _put_back(bound, own, cosign.values()):
        # Refused, but meanwhile recorded (another tab, a double tap): nothing left to fix.
        messages.info(request, "That acceptance is already recorded.")
        return redirect("policies:accept", school=access.school.code)
    return render(
        request,
        "policies/accept_list.html",
        {
            "access": access,
            "nav": nav_for(access),
            "own": own,
            "cosign": list(cosign.values()),
            "done": list(selectors.my_acceptances(school=access.school, user=request.user)),
            "error_anchor": bound[0] if bound else "",
        },
    )


def _put_back(bound: tuple[str, AcceptForm], own, cosign) -> bool:
    """Show the submitted form, with its errors, in place of the empty one."""
    anchor, form = bound
    for item in own:
        if item.anchor == anchor:
            item.form = form
            return True
    for item in cosign:
        for child_form in item.children:
            if child_form.anchor == anchor:
                child_form.form = form
                return True
    return False


def _record(
    request: HttpRequest,
    access: SchoolAccess,
    version: PolicyVersion,
    pupil: Pupil | None,
    typed_name: str,
) -> HttpResponse:
    # The service records once: a second submit of the same form finds the first acceptance.
    if pupil is None:
        done = f"Thank you. Your acceptance of {version.policy.title} is recorded."
        recorded = run_service(
            request,
            lambda: acceptance_record_own(
                actor=request.user,
                version=version,
                typed_name=typed_name,
                method=Method.ONLINE,
                **_browser(request),
            ),
            done,
        )
    else:
        done = f"Thank you. You have co-signed {version.policy.title} for {pupil.first_name}."
        recorded = run_service(
            request,
            lambda: acceptance_cosign(
                actor=request.user,
                version=version,
                pupil=pupil,
                typed_name=typed_name,
                **_browser(request),
            ),
            done,
        )
    if recorded:
        # The banner's count, so the next page already knows.
        outstanding_refresh(request, school=access.school, user=request.user, roles=access.roles)
    return redirect("policies:accept", school=access.school.code)


# In-class sign-off: a class teacher ticks the pupils who signed their AUP.


@dataclass
class SignoffRow:
    pupil: Pupil
    done: Acceptance | None
    checked: bool = False


@dataclass
class SignoffGroup:
    audience: str
    label: str
    version: PolicyVersion | None
    rows: list[SignoffRow]
    form: ClassSignoffForm | None = None
    body: SafeString | None = None

    @property
    def anchor(self) -> str:
        return f"ks-{self.audience}"

    @property
    def to_sign(self) -> list[Pupil]:
        return [r.pupil for r in self.rows if r.done is None]


@school_view(*STAFF_ROLES)
def class_signoff(request: HttpRequest, access: SchoolAccess) -> HttpResponse:
    classes = list(selectors.classes_for_signoff(access=access))
    chosen = request.POST.get("class") if request.method == "POST" else request.GET.get("class")
    ctx = {"access": access, "nav": nav_for(access), "classes": classes}
    if not chosen:
        return render(request, "policies/class_signoff_choose.html", ctx)
    code = _uuid(chosen)
    school_class = next((c for c in classes if c.code == code), None)
    if school_class is None:
        # Another teacher's class, another school's, or none at all: all look the same.
        raise Http404("No such class")
    groups = _signoff_groups(access, school_class)
    if request.method == "POST":
        posted = _uuid(request.POST.get("version"))
        group = next((g for g in groups if g.version and g.version.code == posted), None)
        if group is None:
            raise Http404("No such agreement")
        form = ClassSignoffForm(request.POST, pupils=group.to_sign, auto_id=f"{group.anchor}-%s")
        if form.is_valid():
            chosen_codes = set(form.cleaned_data["pupils"])
            try:
                new = acceptance_in_class(
                    actor=request.user,
                    version=group.version,
                    pupils=[p for p in group.to_sign if str(p.code) in chosen_codes],
                    method=form.cleaned_data["method"],
                    **_browser(request),
                )
            except PolicyError as e:
                # Shown in the form's error summary, the ticks kept as they were. (Not
                # submit_form: the message says how many the service newly recorded.)
                form.add_error(None, str(e))
            else:
                messages.success(
                    request,
                    f"Sign-off recorded for {new} pupil{'s' if new != 1 else ''} "
                    f"of {school_class.name}.",
                )
                url = reverse("policies:class_signoff", args=[access.school.code])
                return redirect(f"{url}?class={school_class.code}")
        group.form = form
        picked = set(form.data.getlist("pupils"))
        for row in group.rows:
            row.checked = str(row.pupil.code) in picked
    return render(
        request,
        "policies/class_signoff.html",
        {**ctx, "school_class": school_class, "groups": groups},
    )


def _signoff_groups(access: SchoolAccess, school_class) -> list[SignoffGroup]:
    pupils = list(selectors.class_pupils(school_class=school_class))
    aups = selectors.pupil_aups(school=access.school)
    by_audience: dict[str, list[Pupil]] = {}
    for pupil in pupils:
        by_audience.setdefault(pupil_audience(pupil) or "", []).append(pupil)
    versions = [aups[a] for a in by_audience if a in aups]
    signed = selectors.pupil_signoffs(versions=versions, pupils=pupils)
    labels = dict(Audience.choices)
    groups = []
    for audience, members in sorted(by_audience.items()):
        version = aups.get(audience)
        rows = [SignoffRow(p, signed.get((version.pk, p.pk)) if version else None) for p in members]
        group = SignoffGroup(
            audience or "none",
            labels.get(audience, "Pupils whose year group has no key stage"),
            version,
            rows,
            body=render_markdown(version.body) if version else None,
        )
        if version is not None:
            group.form = ClassSignoffForm(
                pupils=group.to_sign,
                initial={"version": version.code},
                auto_id=f"{group.anchor}-%s",
            )
        groups.append(group)
    return groups
