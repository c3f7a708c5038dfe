"""The school's public policies page: no sign-in, at addresses the school's website links to.

DOMAIN.md: parents' attention is drawn to the policy, so the published versions of the policies
the school marked public are for anyone to read. Nothing else is: a draft, an approved version
not yet published, a retired version or a policy kept private is a 404 here, exactly like a
school or policy that does not exist.
"""

from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from esafety.people.models import School
from policies.models import PolicyVersion
from policies.pdf import pdf_response
from policies.rendering import render_body
from policies.selectors import library as selectors


def _school(code: UUID) -> School:
    school = selectors.public_school(code=code)
    if school is None:
        raise Http404("No such school")
    return school


def _current(school: School, policy: UUID) -> PolicyVersion:
    version = (
        selectors.published_versions(school=school, public_only=True)
        .filter(policy__code=policy)
        .first()
    )
    if version is None:
        raise Http404("No such policy")
    return version


def public_list(request: HttpRequest, school: UUID) -> HttpResponse:
    found = _school(school)
    versions = selectors.published_versions(school=found, public_only=True)
    return render(request, "policies/public_list.html", {"school": found, "versions": versions})


def public_policy(request: HttpRequest, school: UUID, policy: UUID) -> HttpResponse:
    found = _school(school)
    version = _current(found, policy)
    return render(
        request,
        "policies/public_policy.html",
        {"school": found, "version": version, "body": render_body(version.body)},
    )


def public_pdf(request: HttpRequest, school: UUID, policy: UUID) -> HttpResponse:
    # Inline: a parent following the link from the school's website reads it in the browser.
    return pdf_response(_current(_school(school), policy), disposition="inline")
