"""On the embedded SQLite default, a concern is logged while the worker writes, never "locked".

`make run` logs concerns in the web server while the worker writes to the same file (outbox,
escalations, reminders). A transaction that read first and then wrote failed at once with
"database is locked" whenever the other process had written in between (3 of 11 concerns in a
manual run). settings.py now begins every SQLite transaction IMMEDIATE and waits for the lock.

Real processes on a real file under tmp_path, with the project's own settings: an in-memory
database has no second process to contend with.
"""

import subprocess
import sys
import textwrap

from tests.test_settings import BASE_DIR, clean_environ

SETUP = textwrap.dedent(
    """
    import django
    django.setup()
    from django.core.management import call_command
    call_command("migrate", verbosity=0)
    from esafety.people.models import Membership, Pupil, Role, School, User
    school = School.objects.create(name="Elmstead Primary", urn="123456")
    staff = User.objects.create_user("staff@elm.test", full_name="Sam Staff")
    Membership.objects.create(user=staff, school=school, role=Role.STAFF)
    for role, email in ((Role.DSL, "dsl@elm.test"), (Role.HEAD, "head@elm.test")):
        Membership.objects.create(user=User.objects.create_user(email), school=school, role=role)
    Pupil.objects.create(
        school=school, mis_id="1", first_name="Ada", last_name="Lane",
        date_of_birth="2016-01-01", year_group="Year 5",
    )
    """
)

# The web server: staff log concerns one after another, as in the manual run.
LOG_CONCERNS = textwrap.dedent(
    """
    import datetime, sys
    import django
    django.setup()
    from django.utils import timezone
    from esafety.people.models import Pupil, School, User
    from incidents import services
    school = School.objects.get()
    staff = User.objects.get(email="staff@elm.test")
    pupil = Pupil.objects.get()
    print("ready", flush=True)
    sys.stdin.readline()
    for i in range(COUNT):
        services.concern_log(
            actor=staff, school=school, category="cyberbullying",
            occurred_at=timezone.now() - datetime.timedelta(hours=1),
            location="Year 5 classroom", what_happened=f"Unkind messages ({i}).",
            pupils=[services.InvolvedPupil(pupil, "affected")],
        )
    print("logged", COUNT, flush=True)
    """
)

# The worker: read, then write, in one transaction, as the sweeps and the escalation do.
WORKER_WRITES = textwrap.dedent(
    """
    import sys
    import django
    django.setup()
    from django.db import transaction
    from esafety.notify.models import Reminder
    from esafety.people.models import School
    school = School.objects.get()
    print("ready", flush=True)
    sys.stdin.readline()
    for i in range(COUNT):
        with transaction.atomic():
            Reminder.objects.filter(school=school).count()
            Reminder.objects.create(school=school, subject=f"t:{i}", kind="test", period="1")
    print("wrote", COUNT, flush=True)
    """
)

CONCERNS = 11
WORKER_WRITES_COUNT = 300


def _python(environ, code: str, **kw):
    return subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=environ,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kw,
    )


def test_concerns_are_logged_while_another_process_writes_to_the_same_file(tmp_path):
    environ = clean_environ(tmp_path)
    environ["DATABASE_URL"] = f"sqlite:///{tmp_path / 'esafety.sqlite3'}"
    setup = subprocess.run(
        [sys.executable, "-c", SETUP], cwd=BASE_DIR, env=environ, capture_output=True, text=True
    )
    assert setup.returncode == 0, setup.stderr

    web = _python(environ, LOG_CONCERNS.replace("COUNT", str(CONCERNS)))
    worker = _python(environ, WORKER_WRITES.replace("COUNT", str(WORKER_WRITES_COUNT)))
    try:
        for process in (web, worker):
            assert process.stdout.readline().strip() == "ready", process.stderr.read()
        # Both start at once, so the concerns are logged while the worker is writing.
        for process in (web, worker):
            process.stdin.write("go\n")
            process.stdin.flush()
        outputs = [process.communicate(timeout=120) for process in (web, worker)]
    finally:
        for process in (web, worker):
            if process.poll() is None:
                process.kill()
                process.wait()

    for process, (_out, err) in zip((web, worker), outputs, strict=True):
        assert "database is locked" not in err
        assert process.returncode == 0, err
    assert outputs[0][0].split() == ["logged", str(CONCERNS)]
    assert outputs[1][0].split() == ["wrote", str(WORKER_WRITES_COUNT)]

    count = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from incidents.models import Concern; "
            "print(Concern.objects.count())",
        ],
        cwd=BASE_DIR,
        env=environ,
        capture_output=True,
        text=True,
    )
    assert count.stdout.strip() == str(CONCERNS), count.stderr
