"""The people of one school at work, for Locust: the DSL opening the dashboard, its list, concerns,
a pupil's chronology and the audit log; staff opening the school's home page and their own
concerns, and logging concerns. run.py starts it; by hand:

    LOAD_FIXTURE=fixture.json locust -f benchmarks/load/locustfile.py --headless \\
        --host http://127.0.0.1:8000 -u 200 -r 20 -t 60s

LOAD_FIXTURE is the JSON that fixture.py prints, with a "sessions" entry (persona: cookies)
that run.py adds after signing each persona in (signin.py): every simulated DSL shares the
DSL's session and every member of staff the staff member's. LOAD_USER_RPS is each simulated
person's clicks a second (0.1: one every ten seconds, so 200 people make 20 requests a second;
0: no pause at all, as fast as the server answers).

Every task is one request, so the arrival rate is users × LOAD_USER_RPS. A page counts as an
error unless it answers 200 (a redirect to the sign-in page is an error, not a page), a concern
sent unless it answers 302 (a form shown again with its errors saved nothing).
"""

import datetime
import json
import os
import random
from pathlib import Path
from zoneinfo import ZoneInfo

from locust import constant, constant_throughput, task
from locust.contrib.fasthttp import FastHttpUser
from signin import CSRF_FIELD, browser_headers
from urllib3 import encode_multipart_formdata

FIXTURE = json.loads(Path(os.environ["LOAD_FIXTURE"]).read_text())
USER_RPS = float(os.environ.get("LOAD_USER_RPS", "0.1"))
SCHOOL = FIXTURE["school"]
# The form reads times in the school's zone (settings.TIME_ZONE).
LONDON = ZoneInfo("Europe/London")
# Per request: a page slower than this is an error at any rate worth measuring.
REQUEST_TIMEOUT = 30


def _wait_time():
    if USER_RPS > 0:
        return constant_throughput(USER_RPS)
    return constant(0)


class SchoolMember(FastHttpUser):
    abstract = True
    persona = ""
    wait_time = _wait_time()
    network_timeout = REQUEST_TIMEOUT
    connection_timeout = REQUEST_TIMEOUT

    def on_start(self) -> None:
        # The persona's session, sent as the browser would. Its cookies keep their values (the
        # session key and the CSRF secret change only at sign-in), so they are sent as a header
        # and the client's own cookie jar is switched off: under gevent it sent some requests
        # without them, and a POST without its CSRF cookie is refused.
        self.client.client.cookiejar = None
        cookies = "; ".join(f"{k}={v}" for k, v in FIXTURE["sessions"][self.persona].items())
        self.headers = {**browser_headers(self.host), "Cookie": cookies}

    def page(self, path: str, name: str) -> str:
        with self.client.get(
            path, name=name, headers=self.headers, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code} {response.headers.get('Location')}")
                return ""
            return response.text or ""


class Dsl(SchoolMember):
    persona = "dsl"

    @task(4)
    def dashboard(self) -> None:
        self.page(f"/s/{SCHOOL}/concerns/", "dashboard")

    @task(2)
    def dashboard_list(self) -> None:
        self.page(f"/s/{SCHOOL}/concerns/all/", "concern list")

    @task(3)
    def concern(self) -> None:
        self.page(f"/s/{SCHOOL}/concerns/{random.choice(FIXTURE['concerns'])}/", "concern")

    @task(1)
    def chronology(self) -> None:
        pupil = random.choice(FIXTURE["pupils"])
        self.page(f"/s/{SCHOOL}/pupils/{pupil}/chronology/", "chronology")

    @task(1)
    def audit_log(self) -> None:
        self.page(f"/s/{SCHOOL}/audit/", "audit log")


class Staff(SchoolMember):
    persona = "staff"

    def on_start(self) -> None:
        super().on_start()
        self.token = ""

    @task(2)
    def school_home(self) -> None:
        self.page(f"/s/{SCHOOL}/", "school home")

    @task(3)
    def mine(self) -> None:
        self.page(f"/s/{SCHOOL}/concerns/mine/", "my concerns")

    @task(2)
    def form(self) -> None:
        self.concern_form()

    @task(2)
    def log_concern(self) -> None:
        # The token comes from the form, as a browser's does: a person who has not opened the
        # form yet opens it first (one request, this click).
        if not self.token:
            self.concern_form()
            return
        pupil = random.choice(FIXTURE["pupils"])
        occurred = datetime.datetime.now(LONDON) - datetime.timedelta(hours=1)
        fields = {
            "csrfmiddlewaretoken": self.token,
            "category": "cyberbullying",
            "told_dsl_in_person": "no",
            "pupil": pupil,
            f"role_{pupil}": "affected",
            "occurred_at": occurred.strftime("%Y-%m-%dT%H:%M"),
            "location": "Year 5 classroom",
            "what_happened": "Unkind messages about her in the class group chat (load test).",
        }
        # multipart, as the form sends it (it takes screenshots)
        body, content_type = encode_multipart_formdata(fields)
        with self.client.post(
            f"/s/{SCHOOL}/concerns/new/",
            name="log a concern (POST)",
            data=body,
            headers={**self.headers, "Content-Type": content_type},
            allow_redirects=False,
            catch_response=True,
        ) as response:
            # Saved, it goes to the reporter's page about it; anything else saved nothing.
            where = response.headers.get("Location") or ""
            if response.status_code != 302 or f"/s/{SCHOOL}/concerns/mine/" not in where:
                response.failure(f"HTTP {response.status_code} {where}: the concern was not saved")

    def concern_form(self) -> None:
        html = self.page(f"/s/{SCHOOL}/concerns/new/", "concern form")
        match = CSRF_FIELD.search(html)
        if match:
            self.token = match.group(1)
