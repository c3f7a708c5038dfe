"""A member of staff logs a concern in the browser, and how long that takes a person."""

import struct
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Locator, expect

from esafety.notify.models import Message
from incidents.models import Attachment, Concern
from tests.browser.harness import PHONE, Visitor, sign_in
from tests.factories import PASSWORD, PupilFactory, SchoolClassFactory

pytestmark = pytest.mark.browser


def screenshot_png(width: int = 64, height: int = 40) -> bytes:
    """A small real PNG (a grey chat bubble on white), made here so no image file is checked in."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b""
    for y in range(height):
        row = bytearray([0])  # filter: none
        for x in range(width):
            inside = 8 <= x < width - 8 and 8 <= y < height - 8
            row += bytes([200, 200, 200] if inside else [255, 255, 255])
        rows += bytes(row)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


# The keystroke-level model (Card, Moran and Newell), to estimate how long a person takes: each
# field or control costs a moment's thought (M), pointing at it (P) and a click (B); typing costs
# homing on the keyboard (H) and a keystroke per character (K, an average typist's 40 words a
# minute). A machine fills the form in a second or two, so its own time proves nothing about
# people; the model's estimate is what has to stay under a minute.
M, P, B, H, K = 1.35, 1.1, 0.2, 0.4, 0.28


@dataclass
class Effort:
    clicks: int = 0
    keystrokes: int = 0
    fields_typed: int = 0
    steps: list[str] = field(default_factory=list)

    def click(self, target: Locator, what: str, clicks: int = 1) -> None:
        target.click()
        self.clicks += clicks
        self.steps.append(what)

    def type(self, target: Locator, text: str, what: str) -> None:
        target.click()
        target.press_sequentially(text)
        self.clicks += 1
        self.fields_typed += 1
        self.keystrokes += len(text)
        self.steps.append(what)

    def seconds(self) -> float:
        return self.clicks * (M + P + B) + self.fields_typed * H + self.keystrokes * K


def go_to_form(visitor: Visitor, personas) -> None:
    sign_in(visitor, personas.staff.email, PASSWORD)
    assert visitor.path() == f"/s/{personas.school.code}/"
    main = visitor.page.get_by_role("main")
    visitor.follow(main.get_by_role("link", name="Log a concern"))
    assert visitor.page.get_by_role("heading", level=1).inner_text() == "Log a concern"


def test_it_lets_staff_log_cyberbullying_with_a_screenshot_in_under_a_minute(
    open_visitor, personas, tmp_path, capsys
):
    five_b = SchoolClassFactory(school=personas.school, name="5B", year_group="Year 5")
    pupil = PupilFactory(
        school=personas.school,
        first_name="Zephyrine",
        last_name="Quarterbridge",
        year_group="Year 5",
        school_class=five_b,
    )
    PupilFactory(school=personas.school, first_name="Zebedee", last_name="Abbott")
    PupilFactory(school=personas.other_school, first_name="Zephyr", last_name="Outsider")
    shot = tmp_path / "chat.png"
    shot.write_bytes(screenshot_png())
    visitor = open_visitor(PHONE, is_mobile=True, has_touch=True)
    page = visitor.page
    sent: list[tuple[str, str]] = []
    page.on("request", lambda request: sent.append((request.method, request.url)))
    go_to_form(visitor, personas)

    effort = Effort()
    started = time.monotonic()
    effort.click(page.get_by_label("Cyberbullying"), "category")
    # The category's guidance, and only it, shows at once.
    guidance = page.locator('[data-guidance="cyberbullying"]')
    expect(guidance).to_be_visible()
    expect(guidance).to_have_attribute("open", "")
    expect(guidance).to_contain_text("a screenshot of the messages is allowed for bullying")
    expect(page.locator('[data-guidance="nudes"]')).to_be_hidden()
    effort.click(
        page.get_by_role("group", name="Have you told the DSL in person?").get_by_label("No"),
        "told the DSL: no",
    )
    effort.type(page.get_by_label("Find a pupil"), "zeph", "pupil search")
    found = page.get_by_role("list", name="Pupils found")
    expect(found.get_by_role("checkbox")).to_have_count(1)  # never another school's Zephyr
    effort.click(found.get_by_role("checkbox", name="Zephyrine Quarterbridge"), "tick the pupil")
    # The name typed went in the body of a POST: no address asked for carries it, so no access
    # log holds it.
    search = f"/s/{personas.school.code}/concerns/pupil-search/"
    assert ("POST", f"{visitor.base_url}{search}") in sent
    assert not [url for _, url in sent if "zeph" in url.lower()]
    added = page.get_by_role("list", name="Pupils added")
    expect(added.get_by_role("checkbox", name="Zephyrine Quarterbridge")).to_be_checked()
    role = added.get_by_label("Role of Zephyrine Quarterbridge")
    role.select_option(label="Affected")
    effort.clicks += 2  # open the list, choose
    effort.steps.append("pupil's role")
    effort.type(
        page.get_by_label("What happened?"),
        "Cruel messages about her in the class group chat.",
        "what happened",
    )
    effort.type(page.get_by_label("Where?"), "Class 5B", "where")
    page.get_by_label("Evidence: screenshots (optional)").set_input_files(shot)
    effort.clicks += 3  # open the file picker, pick the file, confirm
    effort.steps.append("screenshot")
    effort.clicks += 1
    effort.steps.append("send")
    visitor.submit(page.get_by_role("button", name="Log the concern"))
    machine_seconds = time.monotonic() - started

    concern = Concern.objects.get()
    # The address asks the page to say it is logged; nothing of it is kept in the session.
    assert visitor.path() == f"/s/{personas.school.code}/concerns/mine/{concern.code}/?logged=1"
    expect(page.get_by_role("status")).to_contain_text(f"Concern {concern.reference} is logged")
    expect(page.get_by_role("heading", name="What happens next")).to_be_visible()
    expect(page.get_by_test_id("status")).to_have_text("Reported")
    # Only the reference, category, when and status: not the child, the place or the account.
    for kept in ("Zephyrine", "Class 5B", "Cruel messages"):
        expect(page.get_by_role("main")).not_to_contain_text(kept)
    assert concern.category == "cyberbullying"
    assert [(link.pupil, link.role) for link in concern.pupil_links.all()] == [(pupil, "affected")]
    attachment = Attachment.objects.get(concern=concern)
    assert attachment.content_type == "image/png"
    assert (Path(settings.PRIVATE_ROOT) / attachment.file.name).read_bytes() == shot.read_bytes()
    assert set(Message.objects.values_list("to_email", flat=True)) == {
        personas.dsl.email,
        personas.deputy_dsl.email,
    }

    # Something learnt later is added for the DSL, and not shown back.
    page.get_by_label("What have you seen or been told since?").fill(
        "She showed me a new message this afternoon."
    )
    visitor.submit(page.get_by_role("button", name="Add it for the DSL"))
    expect(page.get_by_role("status")).to_contain_text("is with the DSL")
    expect(page.get_by_role("main")).not_to_contain_text("a new message this afternoon")
    assert concern.entries.filter(text__contains="a new message this afternoon").exists()

    # Then it is in "My concerns", with its status.
    visitor.follow(visitor.menu("My concerns", "Safeguarding"))
    row = page.get_by_test_id("my-concerns").get_by_role("row", name=concern.reference)
    expect(row).to_contain_text("Cyberbullying")
    expect(row).to_contain_text("Reported")

    estimate = effort.seconds()
    with capsys.disabled():
        print(
            f"\nLogging a concern: {effort.clicks} clicks, {effort.keystrokes} keystrokes in "
            f"{effort.fields_typed} fields ({', '.join(effort.steps)}); a person about "
            f"{estimate:.0f} s by the keystroke-level model, the browser {machine_seconds:.1f} s."
        )
    assert estimate < 60, f"the form takes a person about {estimate:.0f} s: keep it under 60"
    assert effort.clicks <= 14


def test_it_shows_the_nudes_guidance_refuses_attachments_and_the_999_alert_at_once(
    visitor, personas
):
    page = visitor.page
    go_to_form(visitor, personas)
    files = page.get_by_label("Evidence: screenshots (optional)")
    expect(files).to_be_enabled()
    expect(page.get_by_role("alert")).to_have_text("")

    page.get_by_label("Sharing nudes or semi-nudes").check()
    guidance = page.locator('[data-guidance="nudes"]')
    expect(guidance).to_be_visible()
    expect(guidance).to_contain_text("Never view, copy, print, share, store or save the images.")
    expect(page.locator('[data-guidance="cyberbullying"]')).to_be_hidden()
    expect(files).to_be_disabled()
    refused = page.locator("#files-refused")
    expect(refused).to_be_visible()
    expect(refused).to_contain_text("Describe what you were told in words instead.")
    expect(files).to_have_attribute("aria-describedby", "id_files_helptext files-refused")

    # Another category that allows evidence turns the input back on.
    page.get_by_label("Online hate").check()
    expect(files).to_be_enabled()
    expect(refused).to_be_hidden()
    page.get_by_label("Indecent images of children (IIOC)").check()
    expect(files).to_be_disabled()

    page.get_by_label("A child is at immediate risk").check()
    expect(page.get_by_role("alert")).to_contain_text("Call 999 now and tell the DSL in person.")
    visitor.check()  # the page with the alert showing passes axe too
    page.get_by_label("A child is at immediate risk").uncheck()
    expect(page.get_by_role("alert")).to_have_text("")

    # Sent with a problem (what happened is empty): the server says what to fix and keeps
    # the choices made; the refusal stands without JavaScript's help.
    page.get_by_label("A child is at immediate risk").check()
    visitor.submit(page.get_by_role("button", name="Log the concern"))
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Write what happened.")
    expect(page.get_by_label("Indecent images of children (IIOC)")).to_be_checked()
    expect(files).to_be_disabled()
    expect(page.locator("[data-risk-alert]")).to_contain_text("Call 999 now")
    assert not Concern.objects.exists()


def test_it_lets_staff_find_a_pupil_without_the_forms_script(open_visitor, personas):
    PupilFactory(school=personas.school, first_name="Zephyrine", last_name="Quarterbridge")
    visitor = open_visitor()
    page = visitor.page
    # The form's own script never arrives (an old browser, a blocked file): everything must still
    # work. (Turning JavaScript off altogether would also turn off the harness's axe checks.)
    page.route(
        "**/static/js/concern_form.js",
        lambda route: route.fulfill(status=200, content_type="text/javascript", body=""),
    )
    go_to_form(visitor, personas)
    # Every category's guidance is there to open.
    expect(page.locator("details[data-guidance]")).to_have_count(11)
    page.get_by_label("Online hate").check()
    page.get_by_label("What happened?").fill("Hateful comments under her video.")
    page.get_by_label("Find a pupil").fill("quarter")
    visitor.submit(page.get_by_role("button", name="Find pupils"))
    expect(page.get_by_role("status")).to_contain_text("1 pupil on roll match")
    page.get_by_role("checkbox", name="Zephyrine Quarterbridge").check()
    page.get_by_label("Role of Zephyrine Quarterbridge").select_option(label="Witness")
    expect(page.get_by_label("What happened?")).to_have_value("Hateful comments under her video.")
    expect(page.get_by_label("Online hate")).to_be_checked()
    page.get_by_role("group", name="Have you told the DSL in person?").get_by_label("Yes").check()
    visitor.submit(page.get_by_role("button", name="Log the concern"))
    concern = Concern.objects.get()
    assert [link.role for link in concern.pupil_links.all()] == ["witness"]
    assert concern.told_dsl_in_person is True
    expect(page.get_by_test_id("status")).to_have_text("Reported")
