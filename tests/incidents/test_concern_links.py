"""The rows' concern links are the addresses Django reverses for incidents:detail."""

import uuid

from django.template import Context, Template
from django.urls import reverse, set_script_prefix

from incidents.templatetags.concern_links import concern_url


def test_it_gives_the_address_reverse_gives():
    school, concern = uuid.uuid4(), uuid.uuid4()
    assert concern_url(school, concern) == reverse("incidents:detail", args=[school, concern])
    assert concern_url(str(school), str(concern)) == reverse(
        "incidents:detail", args=[school, concern]
    )


def test_it_keeps_the_script_prefix():
    school, concern = uuid.uuid4(), uuid.uuid4()
    set_script_prefix("/esafety/")
    try:
        expected = reverse("incidents:detail", args=[school, concern])
        assert expected.startswith("/esafety/")
        assert concern_url(school, concern) == expected
    finally:
        set_script_prefix("/")


def test_it_renders_in_a_template():
    school, concern = uuid.uuid4(), uuid.uuid4()
    html = Template("{% load concern_links %}{% concern_url s c %}").render(
        Context({"s": school, "c": concern})
    )
    assert html == reverse("incidents:detail", args=[school, concern])
