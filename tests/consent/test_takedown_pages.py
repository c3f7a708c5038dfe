"""The take-downs page is bounded: a page of open ones (oldest first) and of done ones (newest
first), each with a link to the next by keyset, the same queries and about the same size
whatever the number of take-downs, and every take-down reachable exactly once."""

import datetime
import re

from django.urls import reverse
from django.utils import timezone

from consent.models import Publication, TakeDown, TakeDownReason
from consent.views.takedowns import DONE_SHOWN, SHOWN
from tests.factories import PupilFactory


def add_takedowns(personas, consent, *, open_: int, done: int) -> None:
    school = personas.school
    base = timezone.now() - datetime.timedelta(days=30)
    pupil = PupilFactory(school=school)
    rows = []
    for n in range(open_ + done):
        use = Publication.objects.create(
            school=school,
            purpose=consent.website,
            title=f"Use {n:03d}",
            channel="website",
            published_on=base.date(),
            recorded_by=personas.staff,
        )
        opened = base + datetime.timedelta(hours=n // 2)  # pairs tie on the instant: id decides
        closed = n >= open_
        rows.append(
            TakeDown(
                school=school,
                publication=use,
                pupil=pupil,
                reason=TakeDownReason.WITHDRAWN,
                opened_at=opened,
                closed_at=opened + datetime.timedelta(hours=3) if closed else None,
                closed_by=personas.office if closed else None,
                how="Deleted" if closed else "",
            )
        )
    TakeDown.objects.bulk_create(rows)


def titles(html: str, testid: str) -> list[str]:
    if testid == "takedown":
        return re.findall(r'<h2 id="h-[0-9a-f]+" class="h5">(Use \d+)', html)
    table = html.split('data-testid="done"', 1)[1].split("</table>", 1)[0]
    return re.findall(r"<td>(Use \d+) \(", table)


def follow(client, url: str, link: str) -> list[str]:
    """Every title over every page, following the `link` (after= / done_before=)."""
    seen, pages = [], 0
    while url:
        html = client.get(url).content.decode()
        seen += titles(html, "takedown" if link == "after" else "done")
        found = re.search(rf'href="([^"]+\?{link}=[0-9a-f]+)"', html)
        url = found.group(1) if found else ""
        pages += 1
        assert pages < 20
    return seen


def test_every_take_down_is_on_exactly_one_page_open_oldest_first_done_newest_first(
    personas, consent, client_for
):
    add_takedowns(personas, consent, open_=SHOWN * 2 + 3, done=DONE_SHOWN + 5)
    client = client_for(personas.office)
    url = reverse("consent:takedowns", args=[personas.school.code])
    first = client.get(url).content.decode()
    assert len(titles(first, "takedown")) == SHOWN
    assert len(titles(first, "done")) == DONE_SHOWN
    assert f"{SHOWN * 2 + 3} still to do." in first
    opened = follow(client, url, "after")
    assert opened == [f"Use {n:03d}" for n in range(SHOWN * 2 + 3)]
    done = follow(client, url, "done_before")
    total = SHOWN * 2 + 3 + DONE_SHOWN + 5
    assert done == [f"Use {n:03d}" for n in reversed(range(SHOWN * 2 + 3, total))]


def test_a_cursor_marked_done_meanwhile_still_leads_to_the_next(personas, consent, client_for):
    add_takedowns(personas, consent, open_=SHOWN + 2, done=0)
    last_shown = TakeDown.objects.order_by("opened_at", "id")[SHOWN - 1]
    TakeDown.objects.filter(pk=last_shown.pk).update(
        closed_at=timezone.now(), closed_by=personas.office, how="Deleted"
    )
    client = client_for(personas.office)
    url = reverse("consent:takedowns", args=[personas.school.code])
    html = client.get(f"{url}?after={last_shown.code.hex}").content.decode()
    assert titles(html, "takedown") == [f"Use {SHOWN:03d}", f"Use {SHOWN + 1:03d}"]


def test_an_unknown_cursor_shows_no_row_and_a_malformed_one_is_a_404(personas, consent, client_for):
    add_takedowns(personas, consent, open_=3, done=0)
    client = client_for(personas.office)
    url = reverse("consent:takedowns", args=[personas.school.code])
    # A code of no take-down of this school (another school's, say) places nothing.
    html = client.get(f"{url}?after=00000000-0000-4000-8000-000000000009").content.decode()
    assert titles(html, "takedown") == [] and "3 still to do." in html
    assert client.get(f"{url}?after=nonsense").status_code == 404


def test_the_page_asks_the_same_queries_and_stays_the_same_size_at_two_sizes(
    personas, consent, client_for, django_assert_num_queries, django_assert_max_num_queries
):
    client = client_for(personas.office)
    url = reverse("consent:takedowns", args=[personas.school.code])
    add_takedowns(personas, consent, open_=SHOWN + 1, done=DONE_SHOWN + 1)
    client.get(url)
    with django_assert_max_num_queries(50) as small_q:
        small = len(client.get(url).content)
    add_takedowns(personas, consent, open_=SHOWN * 5, done=DONE_SHOWN * 5)
    with django_assert_num_queries(len(small_q)):
        large = len(client.get(url).content)
    assert abs(large - small) < 200
