"""A form sent without its CSRF token gets the site's own page (issue 7, item 20): a main
landmark, plain words that nothing was saved, and no technical reason."""

from django.test import Client
from django.urls import reverse


def test_it_answers_a_form_without_its_token_with_the_sites_own_page(personas):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.staff, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(reverse("incidents:new", args=[personas.school.code]), {})
    assert response.status_code == 403
    body = response.content.decode()
    assert '<main id="main"' in body
    assert "Nothing was saved" in body
    assert "CSRF" not in body and "Referer" not in body
