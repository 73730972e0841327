"""`make bench`: the figures docs/performance.md promises, measured on a throwaway database.

Run as `python -m bench.run` from the project folder. Human-readable lines come first; the last
line is one JSON object holding every figure, for scripts. The exit status is non-zero only
when something did not work, never for missing a goal.

Uploads are measured in a real gunicorn worker fed by a streaming HTTP client, not with
django.test.Client: the test client builds the whole multipart body in memory, which no real
server does, so its peak would measure the test client rather than the app. The cohort ZIP is
downloaded from the same worker by a client that reads it in chunks.

The final report is timed in this process: a large portfolio is built through the services,
its data gathered once, and the PDF rendered repeatedly from that data. WeasyPrint renders the
accessible HTML view of the same report in the same run, as the yardstick.
"""

import datetime
import hashlib
import http.client
import io
import json
import logging
import mimetypes
import os
import random
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
MB = 1024 * 1024
UPLOAD_MB = 100
UPLOAD_GOAL_MB = 20
WARM_UP_MB = 1
# What a student might write: valid UTF-8 and nothing a browser could take for markup.
LINE = (
    b"Reflecting on the home visit, I noticed how my questions shaped what the family felt "
    b"able to tell me, and I will plan the next visit with that in mind.\n"
)
SEND_CHUNK = 256 * 1024
READ_CHUNK = 64 * 1024
REQUEST_TIMEOUT = 300  # seconds; gunicorn's worker timeout is set to the same

# The large portfolio the report goals are set for.
EVIDENCE_ITEMS = 60
FILE_EVERY = 3  # every third item carries a small text file, so the index shows SHA-256s
NARRATIVE_WORDS = 500
RENDER_WARM_UPS, RENDER_RUNS = 2, 15
TOTAL_GOAL_MS = 120  # what a user waits for: gathering the data and rendering it
WEASYPRINT_WARM_UPS, WEASYPRINT_RUNS = 1, 5
SPEEDUP_GOAL = 12
# The HTML view as the yardstick prints it: the app's print stylesheet, not Bootstrap's whole one.
SCREEN_STYLESHEETS = re.compile(
    r'<link rel="stylesheet" href="[^"]*(?:bootstrap\.min|app)(?:\.[0-9a-f]+)?\.css">\n?'
)
ZIP_REPORTS = 300
ZIP_GOAL_MB = 100


def main() -> int:
    # The pages first, in their own process and database, while nothing else runs.
    figures = _bench_pages()
    with tempfile.TemporaryDirectory(prefix="pp-bench-") as tmp:
        _configure(Path(tmp))
        figures |= _run(Path(tmp))
    print(json.dumps(figures))
    ok = figures["upload_ok"] and figures["zip_300_ok"] and figures["login_flood_ok"]
    return 0 if ok and figures["pages_ok"] else 1


def _bench_pages() -> dict:
    """bench/pages.py in a process of its own (it sets Django up against PostgreSQL); its
    lines are passed through and its last line, the JSON, is kept."""
    process = subprocess.Popen(
        [sys.executable, "-m", "bench.pages"], cwd=BASE_DIR, stdout=subprocess.PIPE, text=True
    )
    last = ""
    for line in process.stdout:
        if last:
            print(last, flush=True)
        last = line.rstrip("\n")
    process.wait()
    try:
        figures = json.loads(last)
    except json.JSONDecodeError:
        print(last)
        figures = {"pages": None, "pages_skipped": "the page benchmark stopped with an error"}
    figures.setdefault("pages_ok", process.returncode == 0)
    return figures


def _configure(tmp: Path) -> None:
    """Settings come only from the environment, so it is set before Django reads them; the
    gunicorn subprocess inherits the same environment."""
    for folder in ("media", "static", "uploads"):
        (tmp / folder).mkdir()
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            # Several workers write at once in the login flood: each transaction takes SQLite's
            # write lock when it begins, and waits for it, rather than failing on an upgrade.
            "DATABASE_URL": (
                f"sqlite:///{tmp / 'bench.sqlite3'}?transaction_mode=IMMEDIATE&timeout=20"
            ),
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_COOKIES": "false",
            "MEDIA_ROOT": str(tmp / "media"),
            "STATIC_ROOT": str(tmp / "static"),
            "FILE_UPLOAD_TEMP_DIR": str(tmp / "uploads"),
            "EVIDENCE_MAX_UPLOAD_MB": str(2 * UPLOAD_MB),
            # Local disk, whatever bucket the caller's environment names.
            "AWS_STORAGE_BUCKET_NAME": "",
            "EMAIL_URL": "dummymail://",
            "LOG_LEVEL": "WARNING",
        }
    )


def _run(tmp: Path) -> dict:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    # DEBUG is off, so pages need WhiteNoise's manifest, as in production.
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("loaddata", "frameworks", "grading_scales", "practice_areas", verbosity=0)
    from tests import factories

    placement = factories.PlacementFactory()
    # Everything timed in this process runs before the server starts, so nothing competes.
    review, educator = _large_review()
    report_figures, pdf = _bench_render(review, educator)
    weasyprint_figures = _bench_weasyprint(review, educator, report_figures)
    coordinator, digests = _zip_cohort(pdf)
    log_path = tmp / "server.log"
    try:
        with _server(log_path) as server:
            figures = _bench_upload(server, placement, tmp)
            figures |= report_figures | weasyprint_figures
            figures |= _bench_zip(server, coordinator, digests, tmp)
    except Exception:
        _print_log_end(log_path)
        raise
    if not (figures["upload_ok"] and figures["zip_300_ok"]):
        _print_log_end(log_path)
    figures |= _bench_login_flood(tmp)
    return figures


def _print_log_end(log_path: Path) -> None:
    if log_path.exists():
        print("gunicorn's log ends:", file=sys.stderr)
        print("\n".join(log_path.read_text().splitlines()[-40:]), file=sys.stderr)


# The server


@dataclass(frozen=True)
class Server:
    port: int
    worker_pid: int

    def connection(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT)


@contextmanager
def _server(log_path: Path, *, workers: int = 1, env: dict | None = None) -> Iterator[Server]:
    """gunicorn with sync workers, as `make serve` runs it; stopped however the block ends.
    `worker_pid` is the first worker's."""
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        f"--bind=127.0.0.1:{port}",
        f"--workers={workers}",
        f"--timeout={REQUEST_TIMEOUT}",
        *_without_control_socket(),
    ]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command,
            cwd=BASE_DIR,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})},
        )
        try:
            yield Server(port=port, worker_pid=_wait_for_worker(process, port, workers))
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _without_control_socket() -> list[str]:
    """gunicorn 27 opens a control socket in ~/.gunicorn; the bench needs none, and should
    leave the home folder, and any server already using that socket, alone."""
    from gunicorn.config import KNOWN_SETTINGS

    if any(setting.name == "control_socket_disable" for setting in KNOWN_SETTINGS):
        return ["--no-control-socket"]
    return []


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for_worker(process: subprocess.Popen, port: int, count: int = 1) -> int:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped at start-up (exit status {process.returncode}).")
        workers = _children(process.pid)
        if len(workers) == count:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
            except OSError:
                pass
            else:
                return min(workers)
        time.sleep(0.1)
    raise RuntimeError("gunicorn did not start its workers within a minute.")


def _children(pid: int) -> list[int]:
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue  # it ended while we looked
            # The parent's pid is the second field after the parenthesised command name.
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                children.append(int(entry.name))
    return children


def _status_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise RuntimeError(f"/proc/{pid}/status has no {field}.")


def _reset_peak(pid: int) -> bool:
    """Forget the worker's earlier peak (Linux 4.0+), so VmHWM afterwards is this upload's."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        return False
    return True


# The upload


@dataclass(frozen=True)
class Upload:
    status: int
    location: str
    page: str
    seconds: float
    peak_growth_mb: float


def _bench_upload(server: Server, placement, tmp: Path) -> dict:
    from django.conf import settings
    from django.db import connections
    from django.test import Client

    client = Client()
    client.force_login(placement.student)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    # The server writes to the same SQLite file; hold no connection open while it does.
    connections.close_all()

    warm_up_path, big_path = tmp / "warm-up.txt", tmp / "reflection.txt"
    _write_text(warm_up_path, WARM_UP_MB * MB)
    big_sha256 = _write_text(big_path, UPLOAD_MB * MB)
    peak_was_reset = _reset_peak(server.worker_pid)

    # The worker's first upload also loads code and fills caches; the figure is for a warm one.
    warm_up = _upload(server, placement, session, warm_up_path, title="Warm-up upload")
    big = _upload(server, placement, session, big_path, title=f"{UPLOAD_MB} MB upload")
    big_path.unlink()
    problems = _check(placement, big, title=f"{UPLOAD_MB} MB upload", sha256=big_sha256)

    within_goal = big.peak_growth_mb < UPLOAD_GOAL_MB
    print(f"Uploading a {UPLOAD_MB} MB text file as evidence, through gunicorn (one sync worker):")
    print(
        f"  peak memory growth  {big.peak_growth_mb:6.1f} MB  "
        f"(goal: under {UPLOAD_GOAL_MB} MB; {'met' if within_goal else 'MISSED'})"
    )
    print(f"  wall time           {big.seconds:6.1f} s")
    print(
        f"  measured after a {WARM_UP_MB} MB warm-up upload "
        f"(its growth: {warm_up.peak_growth_mb:.1f} MB)"
    )
    if not peak_was_reset:
        print("  (this kernel cannot reset a peak, so growth may include the warm-up's)")
    for problem in problems:
        print(f"  FAILED: {problem}")
    if not problems:
        print("  redirected to the new evidence; the stored file's SHA-256 matches what was sent")
    return {
        "upload_100mb_peak_mb": round(big.peak_growth_mb, 1),
        "upload_100mb_goal_mb": UPLOAD_GOAL_MB,
        "upload_100mb_within_goal": within_goal,
        "upload_100mb_seconds": round(big.seconds, 2),
        "upload_1mb_peak_mb": round(warm_up.peak_growth_mb, 1),
        "upload_ok": not problems,
    }


def _write_text(path: Path, size: int) -> str:
    """Writes `size` bytes of plain text in blocks and returns their SHA-256."""
    block = LINE * (MB // len(LINE))
    digest = hashlib.sha256()
    with path.open("wb") as out:
        remaining = size
        while remaining:
            piece = block[:remaining]
            out.write(piece)
            digest.update(piece)
            remaining -= len(piece)
    return digest.hexdigest()


def _upload(server: Server, placement, session: str, path: Path, *, title: str) -> Upload:
    from django.conf import settings
    from django.urls import reverse

    from portfolios.models import Evidence

    url = reverse("portfolios:evidence-create", kwargs={"pk": placement.pk})
    csrf_cookie, csrf_token = _csrf(server, url, session)
    domain = placement.framework.domains.order_by("order").first()
    fields = [
        ("csrfmiddlewaretoken", csrf_token),
        ("kind", Evidence.Kind.CRITICAL_REFLECTION),
        ("title", title),
        ("practice_date", (datetime.date.today() - datetime.timedelta(days=1)).isoformat()),
        ("reflection", ""),
        (f"map_{domain.pk}", "on"),
        (f"note_{domain.pk}", "My reflection shows how I listened before deciding."),
    ]
    content_type, length, body = _multipart(fields, "files", path)
    cookies = f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={csrf_cookie}"
    headers = {"Content-Type": content_type, "Content-Length": str(length), "Cookie": cookies}

    pid = server.worker_pid
    _reset_peak(pid)
    rss_before = _status_kb(pid, "VmRSS")
    connection = server.connection()
    try:
        started = time.perf_counter()
        connection.request("POST", url, body=body, headers=headers)
        response = connection.getresponse()
        page = response.read().decode(errors="replace")
        seconds = time.perf_counter() - started
    finally:
        connection.close()
    peak = _status_kb(pid, "VmHWM")
    return Upload(
        status=response.status,
        location=response.getheader("Location", ""),
        page=page,
        seconds=seconds,
        peak_growth_mb=(peak - rss_before) / 1024,
    )


def _csrf(server: Server, url: str, session: str) -> tuple[str, str]:
    """The CSRF cookie and form token, from the form page as a browser would get them."""
    from django.conf import settings

    connection = server.connection()
    try:
        connection.request(
            "GET", url, headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}"}
        )
        response = connection.getresponse()
        page = response.read().decode()
    finally:
        connection.close()
    if response.status != 200:
        raise RuntimeError(f"The evidence form answered {response.status}, not 200.")
    cookies = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        cookies.load(header)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if settings.CSRF_COOKIE_NAME not in cookies or token is None:
        raise RuntimeError("The evidence form gave no CSRF cookie and token.")
    return cookies[settings.CSRF_COOKIE_NAME].value, token.group(1)


def _multipart(fields: list[tuple[str, str]], name: str, path: Path) -> tuple[str, int, Iterator]:
    """A multipart/form-data body that streams the file from disk, and its exact length."""
    boundary = f"pp-bench-{uuid.uuid4().hex}"
    head = "".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"\r\n\r\n{value}\r\n'
        for field, value in fields
    ).encode()
    head += (
        f"--{boundary}\r\n"
        f'Content-Disposition: form-data; name="{name}"; filename="{path.name}"\r\n'
        "Content-Type: text/plain\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()

    def body() -> Iterator[bytes]:
        yield head
        with path.open("rb") as source:
            while chunk := source.read(SEND_CHUNK):
                yield chunk
        yield tail

    length = len(head) + path.stat().st_size + len(tail)
    return f"multipart/form-data; boundary={boundary}", length, body()


def _check(placement, upload: Upload, *, title: str, sha256: str) -> list[str]:
    from portfolios.models import Evidence

    evidence = Evidence.objects.filter(placement=placement, title=title).first()
    if evidence is None:
        said = _form_error(upload.page)
        return [f"no evidence was saved (the server answered {upload.status}){said}"]
    problems = []
    if upload.status != 302 or urlsplit(upload.location).path != evidence.get_absolute_url():
        problems.append(f"answered {upload.status} {upload.location!r}, not the evidence page")
    stored = evidence.files.first()
    if stored is None:
        return [*problems, "the evidence has no file"]
    digest = hashlib.sha256()
    with stored.file.open("rb") as saved:
        for chunk in saved.chunks():
            digest.update(chunk)
    if digest.hexdigest() != sha256 or stored.sha256 != sha256:
        problems.append("the stored file's SHA-256 differs from what was sent")
    if stored.size != UPLOAD_MB * MB:
        problems.append(f"the stored file is {stored.size} bytes, not {UPLOAD_MB * MB}")
    return problems


def _form_error(page: str) -> str:
    """The first error the form showed, as ": <sentence>", or nothing."""
    error = re.search(r'class="invalid-feedback[^"]*"[^>]*>(.*?)</(?:div|span|p)>', page, re.S)
    if error is None:
        return ""
    return ": " + " ".join(re.sub(r"<[^>]+>", " ", error.group(1)).split())


# The large report: built through the services


# Sentences an educator might write; {name} is the student's first name, {domain} the domain.
SENTENCES = [
    "{name} prepared for each visit by reading the file, noting what was already known and "
    "what still needed to be asked.",
    "In supervision {name} linked what had happened on the visit to {domain}, and could say "
    "what they would do differently next time.",
    "The people {name} worked with said they felt listened to, and that decisions were "
    "explained to them in words they could follow.",
    "When a plan changed at short notice, {name} told the family first and recorded the reasons "
    "clearly and promptly.",
    "{name} sought out the views of other professionals without handing over the decision, "
    "and weighed them against what the person wanted.",
    "Early in the placement {name} tended to offer solutions too quickly; by the midpoint they "
    "were leaving room for people to reach their own.",
    "Their written assessments became shorter and sharper, separating what was observed from "
    "what was reported and from their own analysis.",
    "{name} used the team's duty rota as a chance to learn how risk is judged under time "
    "pressure, and asked good questions about thresholds.",
    "On a joint visit I watched {name} notice that an older man was not following the "
    "conversation, slow down, and check his understanding.",
    "{name} read around the law and guidance that applied to each piece of work and brought "
    "that reading into our discussions.",
    "Feedback from the carers' group was that {name} was reliable: they came back when they "
    "said they would and followed through on actions.",
    "{name} recognised the limits of their role and asked for help at the right moments, "
    "including once out of hours.",
    "Their reflective logs moved from describing events to analysing them, with honest "
    "attention to their own assumptions about {domain}.",
    "{name} challenged a colleague's dismissive remark about a family respectfully, then "
    "raised it in supervision so the team could learn from it.",
    "They managed a caseload of eight people by the end of the placement, prioritising well "
    "and keeping records up to date.",
    "{name} drew on research about loneliness and isolation to shape a support plan that the "
    "person chose rather than accepted.",
    "In the multi-agency meeting {name} presented the assessment confidently and kept the "
    "person's own words at the centre of the discussion.",
    "{name} took feedback well, including when it was critical, and acted on it in the next "
    "piece of work.",
    "The evidence shows steady growth in {domain} across the placement rather than a single "
    "strong example.",
    "I would like {name} to keep developing their confidence in writing analysis that commits "
    "to a view and explains the reasons for it.",
]
EVIDENCE_TOPICS = [
    ("critical_reflection", "Home visit with an older man living alone"),
    ("direct_observation", "Carer's assessment at the family home"),
    ("case_review", "Hospital discharge planning meeting"),
    ("written_work", "Support plan written with a young adult"),
    ("supervision", "Formal supervision on risk and thresholds"),
    ("critical_reflection", "Duty desk: first contact with a worried neighbour"),
    ("other", "Shadowing the approved mental health professional"),
    ("case_review", "Reviewing a safeguarding enquiry with the team manager"),
    ("direct_observation", "Joint visit about a change of care provider"),
    ("written_work", "Court-style report written as an exercise"),
]
SUPERVISION_DETAILS = {
    "attendees": "Student and practice educator",
    "agenda": "Caseload, risk, and learning goals.",
    "notes": "Reviewed progress against the learning agreement and discussed two visits.",
    "agreed_actions": "Reading on thresholds; shadow a duty shift before next supervision.",
}
STRENGTHS = [
    "Builds trust quickly with people who are wary of services.",
    "Writes clear, well-evidenced assessments that separate fact from analysis.",
    "Uses supervision well, arriving prepared and acting on what is agreed.",
    "Keeps the person's own words at the centre of multi-agency work.",
]
LEARNING_NEEDS = [
    ("Court work", "Write and present evidence for care proceedings with growing independence."),
    ("Mental capacity", "Lead capacity assessments for complex decisions, not only observe."),
    ("Caseload", "Plan a full caseload's week so urgent work does not crowd out reviews."),
]
FEEDBACK = [
    ("carer", "She listened to what I said about my mother and wrote it down properly."),
    ("service_user", "I was asked what I wanted before anything was decided."),
    ("carer", "Explained the plan clearly and rang back when she said she would."),
    ("service_user", "Kind and patient, did not rush me."),
]
SUITABILITY = [
    ("adult-social-care", "well_suited"),
    ("safeguarding-adults", "well_suited"),
    ("older-people", "well_suited"),
    ("mental-health", "with_support"),
    ("hospital-health", "with_support"),
    ("child-protection", "not_observed"),
]


def _prose(rng: random.Random, words: int, *, name: str, domain: str) -> str:
    """At least `words` words of believable narrative, in paragraphs of five sentences."""
    paragraphs, count = [], 0
    while count < words:
        paragraph = " ".join(s.format(name=name, domain=domain) for s in rng.sample(SENTENCES, 5))
        paragraphs.append(paragraph)
        count += len(paragraph.split())
    return "\n\n".join(paragraphs)


def _person(factory):
    """A user with an unusable password: the bench logs people in through sessions, and
    hashing hundreds of real passwords would take most of a minute."""
    return factory(password=None)


def _large_review():
    """A final review of the size the report goals are set for, walked through the services by
    the people on the placement: 60 submitted items each mapped to 2–3 of the PCF's nine
    domains (every third with a small text file), a signed midpoint, a resolved concern, then
    a signed learning agreement, three direct observations, four pieces of service-user
    feedback (two quoted for the report), then the final review, every domain graded with a
    ~500-word narrative citing 3–6 items, strengths, suitability for six areas (the rest "not
    observed"), three learning needs, the on-site supervisor's statement, signed, acknowledged
    with a comment, countersigned.
    Returns the final review and its educator."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from assessments import services as reviews
    from assessments.models import Concern, Review
    from assessments.services import final_report
    from portfolios import services
    from portfolios.models import CapabilityFramework, GradingScale, Placement, PracticeArea
    from portfolios.services import structured
    from portfolios.services.evidence import MappingInput
    from tests import factories
    from tests.assessments import builders

    rng = random.Random(2026)
    framework = CapabilityFramework.objects.get(code="PCF", version="2018")
    scale = GradingScale.objects.get(code="UK-4")
    areas = {a.code: a for a in PracticeArea.objects.all()}
    university = factories.UniversityFactory(name="University of Benchmark")
    coordinator = _person(factories.CoordinatorFactory)
    university.members.add(coordinator)
    programme = factories.ProgrammeFactory(
        university=university, name="Social Work", framework=framework, grading_scale=scale
    )
    student = _person(factories.StudentFactory)
    educator = _person(factories.EducatorFactory)
    supervisor = _person(factories.SupervisorFactory)
    tutor = _person(factories.TutorFactory)
    today = timezone.localdate()
    start = today - datetime.timedelta(days=160)
    placement = services.placement_create(
        actor=coordinator,
        student=student,
        educator=educator,
        supervisor=supervisor,
        tutor=tutor,
        programme=programme,
        setting_name="Northbridge Adults' Community Team",
        practice_area=areas["adult-social-care"],
        stage=Placement.Stage.FINAL,
        start_date=start,
        end_date=today - datetime.timedelta(days=5),
        required_days=100,
    )
    services.placement_transition(
        actor=coordinator, placement=placement, to_status=Placement.Status.ACTIVE
    )
    domains = list(framework.domains.order_by("order"))
    name = student.first_name

    mapped: dict[int, list] = {d.pk: [] for d in domains}
    for i in range(EVIDENCE_ITEMS):
        kind, topic = EVIDENCE_TOPICS[i % len(EVIDENCE_TOPICS)]
        # 2 or 3 domains, four apart, so every domain ends up with 16 or 17 items.
        chosen = [domains[(i + 4 * j) % len(domains)] for j in range(2 + i % 2)]
        files = []
        if i % FILE_EVERY == 0:
            files = [SimpleUploadedFile(f"visit-notes-{i + 1}.txt", LINE * (12 + i), "text/plain")]
        evidence = services.evidence_create(
            actor=student,
            placement=placement,
            kind=kind,
            title=f"{topic}, week {i // 3 + 1}",
            practice_date=start + datetime.timedelta(days=2 * i + 1),
            reflection=_prose(rng, 90, name="I", domain=chosen[0].name.lower()),
            mappings=[
                MappingInput(d, f"Shows {d.name.lower()} in how I planned and did this work.")
                for d in chosen
            ],
            files=files,
            details=SUPERVISION_DETAILS if kind == "supervision" else None,
        )
        evidence = services.evidence_submit(actor=student, evidence=evidence)
        if i % 2:
            services.evidence_review(actor=educator, evidence=evidence, accept=True)
        for domain in chosen:
            mapped[domain.pk].append(evidence)
    Placement.objects.filter(pk=placement.pk).update(days_completed=100)

    passing = [g for g in scale.grades.all() if g.meets_threshold]
    midpoint = reviews.review_start(actor=educator, placement=placement, kind=Review.Kind.MIDPOINT)
    for judgement in midpoint.judgements.select_related("domain"):
        reviews.judgement_save(
            actor=educator,
            judgement=judgement,
            grade=passing[0],
            narrative=_prose(rng, 100, name=name, domain=judgement.domain.name.lower()),
            evidence=mapped[judgement.domain_id][:2],
        )
    reviews.review_outcome_save(
        actor=educator,
        review=midpoint,
        midpoint_outcome=Review.MidpointOutcome.ON_TRACK,
        summary=_prose(rng, 120, name=name, domain="every domain"),
    )
    reviews.review_sign(actor=educator, review=midpoint)
    reviews.review_acknowledge(
        actor=student, review=midpoint, comment=_prose(rng, 40, name="I", domain="my practice")
    )
    builders.agreement(placement)
    for observer in ("educator", "educator", "supervisor"):
        builders.observation(placement, observer=observer)
    for n, (relationship, went_well) in enumerate(FEEDBACK):
        request, token = structured.feedback_request_create(
            actor=student, placement=placement, work_description="A home visit about support"
        )
        given = structured.feedback_give(
            token=token,
            consent=True,
            relationship=relationship,
            listened="yes",
            respected="yes",
            went_well=went_well,
        )
        if n < 2:
            structured.feedback_quote_set(actor=educator, evidence=given, for_report=True)

    concern = reviews.concern_raise(
        actor=educator,
        placement=placement,
        description=_prose(rng, 80, name=name, domain="recording"),
        review_date=today + datetime.timedelta(days=14),
        targets={
            domains[4]: "Write up every visit within two working days.",
            domains[6]: "Bring one analysed case to each supervision.",
        },
    )
    reviews.concern_record_outcome(
        actor=educator,
        concern=concern,
        outcome=Concern.Outcome.RESOLVED,
        note="Both targets met by the review date; records are now timely and analytic.",
    )

    final = reviews.review_start(actor=educator, placement=placement, kind=Review.Kind.FINAL)
    for judgement in final.judgements.select_related("domain").order_by("domain__order"):
        items = mapped[judgement.domain_id]
        cited = rng.sample(items, 3 + judgement.domain.order % 4)  # 3 to 6 items
        reviews.judgement_save(
            actor=educator,
            judgement=judgement,
            grade=rng.choice(passing),
            narrative=_prose(rng, NARRATIVE_WORDS, name=name, domain=judgement.domain.name.lower()),
            evidence=sorted(cited, key=lambda e: (e.practice_date, e.title)),
        )
    for n, text in enumerate(STRENGTHS):
        reviews.strength_add(
            actor=educator, review=final, text=text, domains=domains[n * 2 : n * 2 + 2]
        )
    for code, rating in SUITABILITY:
        rationale = ""
        if rating != "not_observed":
            rationale = _prose(rng, 30, name=name, domain=areas[code].name.lower())
        reviews.suitability_save(
            actor=educator,
            review=final,
            practice_area=areas[code],
            rating=rating,
            rationale=rationale,
        )
    builders.rate_every_area(final)
    for area, development in LEARNING_NEEDS:
        final_report.learning_need_add(
            actor=educator,
            review=final,
            area=area,
            development=development,
            support="Fortnightly reflective supervision in the first six months.",
        )
    final_report.supervisor_statement_save(
        actor=supervisor, review=final, text=_prose(rng, 120, name=name, domain="the team")
    )
    reviews.review_outcome_save(
        actor=educator,
        review=final,
        recommendation=Review.Recommendation.PASS,
        recommendation_justification=_prose(rng, 150, name=name, domain="every domain"),
        summary=_prose(rng, 250, name=name, domain="every domain"),
    )
    reviews.review_sign(actor=educator, review=final)
    reviews.review_acknowledge(
        actor=student, review=final, comment=_prose(rng, 60, name="I", domain="my practice")
    )
    reviews.review_countersign(actor=tutor, review=final, confirmed=True)
    return Review.objects.get(pk=final.pk), educator


def _bench_render(review, educator) -> tuple[dict, bytes]:
    """Times what a user waits for, fetching the review as the report pages do, gathering its
    data and rendering it, and then the rendering alone from data gathered once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from pypdf import PdfReader

    from assessments import selectors
    from assessments.report.data import report_data_for, reviews_for_report
    from assessments.report.pdf import render_pdf

    def gather():
        """As the report pages do: the review fetched once, scoped to the user, with what the
        report reads of it, then handed to report_data_for."""
        visible = reviews_for_report(selectors.reviews_visible_to(user=educator))
        return report_data_for(visible.get(pk=review.pk), fetched=True)

    with CaptureQueriesContext(connection) as queries:
        data = gather()
    for _ in range(RENDER_WARM_UPS):
        render_pdf(gather())
    totals, renders = [], []
    for _ in range(RENDER_RUNS):
        started = time.perf_counter()
        render_pdf(gather())
        totals.append(time.perf_counter() - started)
    for _ in range(RENDER_RUNS):
        started = time.perf_counter()
        pdf = render_pdf(data)
        renders.append(time.perf_counter() - started)
    total_ms = statistics.median(totals) * 1000
    render_ms = statistics.median(renders) * 1000
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    words = sum(len(d.narrative.split()) for d in data.domains) // len(data.domains)
    cited = [len(d.evidence) for d in data.domains]
    files = sum(len(e.files) for e in data.evidence_index)

    within_goal = total_ms <= TOTAL_GOAL_MS
    print(
        f"A large final report as PDF ({len(data.domains)} domains, "
        f"{len(data.evidence_index)} evidence items of which {files} with a file, narratives of "
        f"~{words} words citing {min(cited)}–{max(cited)} items; {pages} pages, "
        f"{len(pdf) / 1024:.0f} KB):"
    )
    print(
        f"  data and render     {total_ms:6.0f} ms median  "
        f"(goal: at most {TOTAL_GOAL_MS} ms; {'met' if within_goal else 'MISSED'}); fastest "
        f"{min(totals) * 1000:.0f} ms, slowest {max(totals) * 1000:.0f} ms"
    )
    print(
        f"  of which rendering  {render_ms:6.0f} ms median; fastest "
        f"{min(renders) * 1000:.0f} ms, slowest {max(renders) * 1000:.0f} ms"
    )
    print(
        f"  over {RENDER_RUNS} runs each after {RENDER_WARM_UPS} warm-ups; gathering the data "
        f"ran {len(queries)} queries"
    )
    figures = {
        "report_total_median_ms": round(total_ms, 1),
        "report_total_goal_ms": TOTAL_GOAL_MS,
        "report_total_within_goal": within_goal,
        "report_total_min_ms": round(min(totals) * 1000, 1),
        "report_total_max_ms": round(max(totals) * 1000, 1),
        "report_render_median_ms": round(render_ms, 1),
        "report_render_min_ms": round(min(renders) * 1000, 1),
        "report_render_max_ms": round(max(renders) * 1000, 1),
        "report_pages": pages,
        "report_kb": round(len(pdf) / 1024, 1),
        "report_data_queries": len(queries),
    }
    return figures, pdf


def _bench_weasyprint(review, educator, report_figures: dict) -> dict:
    """Times WeasyPrint turning the accessible HTML view of the same report into a PDF, styled
    for print by the app's print stylesheet (the screen's Bootstrap and app.css removed: most of
    Bootstrap is for screens and WeasyPrint would spend nearly all its time on it)."""
    import weasyprint
    from django.test import Client
    from django.urls import reverse
    from pypdf import PdfReader

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(educator)
    response = client.get(reverse("assessments:review-report-html", kwargs={"pk": review.pk}))
    if response.status_code != 200:
        raise RuntimeError(f"The HTML report answered {response.status_code}, not 200.")
    html, removed = SCREEN_STYLESHEETS.subn("", response.content.decode())
    if removed != 2 or 'media="print"' not in html:
        raise RuntimeError("The HTML report's stylesheets are not the ones the bench expects.")
    fetcher = _local_static_fetcher()

    def write_pdf() -> bytes:
        return weasyprint.HTML(
            string=html, base_url=BASE_DIR.as_uri() + "/", url_fetcher=fetcher
        ).write_pdf()

    for _ in range(WEASYPRINT_WARM_UPS):
        write_pdf()
    seconds = []
    for _ in range(WEASYPRINT_RUNS):
        started = time.perf_counter()
        pdf = write_pdf()
        seconds.append(time.perf_counter() - started)
    median_ms = statistics.median(seconds) * 1000
    speedup = median_ms / report_figures["report_render_median_ms"]
    within_goal = speedup >= SPEEDUP_GOAL
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    if not any(path.endswith(".css") and "print" in path for path in fetcher.served):
        raise RuntimeError("WeasyPrint did not load the print stylesheet.")

    print(
        f"WeasyPrint {weasyprint.__version__} rendering the HTML view of the same report with "
        "the app's print stylesheet:"
    )
    print(
        f"  median render time  {median_ms:6.0f} ms  (over {WEASYPRINT_RUNS} runs after "
        f"{WEASYPRINT_WARM_UPS} warm-up; {pages} pages, {len(pdf) / 1024:.0f} KB)"
    )
    print(
        f"  reportlab is        {speedup:6.1f}× faster  "
        f"(goal: at least {SPEEDUP_GOAL}×; {'met' if within_goal else 'MISSED'})"
    )
    print(
        f"  page {len(html) / 1024:.0f} KB; stylesheets read from STATIC_ROOT: "
        f"{', '.join(sorted(fetcher.served))}"
    )
    if fetcher.refused:
        print(f"  refused to fetch: {', '.join(sorted(fetcher.refused))}")
    return {
        "weasyprint_median_ms": round(median_ms, 1),
        "weasyprint_pages": pages,
        "render_speedup_vs_weasyprint": round(speedup, 1),
        "render_speedup_goal": SPEEDUP_GOAL,
        "render_speedup_within_goal": within_goal,
    }


def _local_static_fetcher():
    """A WeasyPrint URL fetcher that serves /static/ URLs from STATIC_ROOT (where collectstatic
    put them), data: URLs as they are, and refuses everything else: no network, ever."""
    from django.conf import settings
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    static_root = Path(settings.STATIC_ROOT).resolve()
    prefix = "/" + settings.STATIC_URL.strip("/") + "/"

    class LocalStatic(URLFetcher):
        def __init__(self):
            super().__init__(allowed_protocols=("data",))
            self.served: set[str] = set()
            self.refused: set[str] = set()

        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            if parts.scheme == "data":
                return super().fetch(url, headers)
            if parts.scheme == "file" and parts.path.startswith(prefix):
                path = (static_root / parts.path.removeprefix(prefix)).resolve()
                if path.is_relative_to(static_root) and path.is_file():
                    self.served.add(parts.path)
                    content_type = mimetypes.guess_type(path.name)[0] or "text/plain"
                    return URLFetcherResponse(
                        url, path.read_bytes(), {"Content-Type": content_type}
                    )
            self.refused.add(url)
            raise ValueError(f"The bench fetches only local static files, not {url}")

    return LocalStatic()


# The cohort ZIP


def _zip_cohort(pdf: bytes) -> tuple:
    """ZIP_REPORTS placements in one university, each with a ratified final review and its
    stored report (the cohort ZIP holds only ratified reports): the same rendered PDF with a
    different comment after its end, so every file has its own SHA-256. Returns the
    university's coordinator and the reports' SHA-256s."""
    from django.core.files.base import ContentFile
    from django.db import transaction
    from django.utils import timezone

    from assessments.models import Review, SignedReport
    from assessments.report.store import new_verification_code
    from portfolios import services
    from portfolios.models import CapabilityFramework, GradingScale, Placement
    from tests import factories

    framework = CapabilityFramework.objects.get(code="PCF", version="2018")
    scale = GradingScale.objects.get(code="UK-4")
    university = factories.UniversityFactory(name="University of Cohortshire")
    coordinator = _person(factories.CoordinatorFactory)
    university.members.add(coordinator)
    programmes = [
        factories.ProgrammeFactory(
            university=university, name=name, award=award, framework=framework, grading_scale=scale
        )
        for name, award in (("Social Work", "MA"), ("Social Work (undergraduate)", "BA (Hons)"))
    ]
    educators = [_person(factories.EducatorFactory) for _ in range(10)]
    tutors = [_person(factories.TutorFactory) for _ in range(3)]
    today = timezone.localdate()
    now = timezone.now()
    digests = set()
    with transaction.atomic():
        for i in range(ZIP_REPORTS):
            educator = educators[i % len(educators)]
            placement = services.placement_create(
                actor=coordinator,
                student=_person(factories.StudentFactory),
                educator=educator,
                tutor=tutors[i % len(tutors)],
                programme=programmes[i % len(programmes)],
                setting_name=f"Community team {i % 12 + 1}",
                stage=Placement.Stage.FINAL,
                start_date=today - datetime.timedelta(days=160),
                end_date=today - datetime.timedelta(days=5),
            )
            # Test data may start anywhere in the state machine, as in tests/factories.py.
            Placement.objects.filter(pk=placement.pk).update(
                status=Placement.Status.RATIFIED, days_completed=100
            )
            review = Review.objects.create(
                placement=placement,
                kind=Review.Kind.FINAL,
                status=Review.Status.RATIFIED,
                recommendation=Review.Recommendation.PASS,
                signed_by=educator,
                signed_at=now,
                acknowledged_at=now,
                countersigned_by=placement.tutor,
                countersigned_at=now,
                panel_by=coordinator,
                panel_at=now,
                locked_at=now,
            )
            body = pdf + f"% bench copy {i + 1}\n".encode()
            digest = hashlib.sha256(body).hexdigest()
            report = SignedReport(
                review=review,
                version=1,
                event=SignedReport.Event.RATIFIED,
                sha256=digest,
                size=len(body),
                verification_code=new_verification_code(),
            )
            report.pdf.save("report.pdf", ContentFile(body), save=False)
            report.save()
            digests.add(digest)
    return coordinator, digests


@dataclass(frozen=True)
class Download:
    status: int
    content_type: str
    size: int
    seconds: float
    peak_growth_mb: float


def _bench_zip(server: Server, coordinator, digests: set[str], tmp: Path) -> dict:
    from django.conf import settings
    from django.db import connections
    from django.test import Client
    from django.urls import reverse

    from portfolios.models import Placement

    client = Client()
    client.force_login(coordinator)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    connections.close_all()

    url = reverse("assessments:cohort-reports-zip")
    peak_was_reset = _reset_peak(server.worker_pid)
    # The same view on an empty selection (no placement is planned; it answers with a message)
    # warms the worker up.
    empty = _download(server, f"{url}?status={Placement.Status.PLANNED}", session, tmp / "0.zip")
    path = tmp / "reports.zip"
    full = _download(server, url, session, path)
    problems = _check_zip(full, path, digests)
    path.unlink(missing_ok=True)

    within_goal = full.peak_growth_mb < ZIP_GOAL_MB
    print(f"Streaming the cohort ZIP of {ZIP_REPORTS} stored reports through the same worker:")
    print(
        f"  peak memory growth  {full.peak_growth_mb:6.1f} MB  "
        f"(goal: under {ZIP_GOAL_MB} MB; {'met' if within_goal else 'MISSED'})"
    )
    print(f"  ZIP size            {full.size / MB:6.1f} MB")
    print(f"  wall time           {full.seconds:6.1f} s")
    print(
        f"  measured after an empty-cohort warm-up download "
        f"(its growth: {empty.peak_growth_mb:.1f} MB)"
    )
    if not peak_was_reset:
        print("  (this kernel cannot reset a peak, so growth may include the warm-up's)")
    for problem in problems:
        print(f"  FAILED: {problem}")
    if not problems:
        print(f"  a valid ZIP of {ZIP_REPORTS} entries, each byte-for-byte a stored report")
    return {
        "zip_300_peak_mb": round(full.peak_growth_mb, 1),
        "zip_300_goal_mb": ZIP_GOAL_MB,
        "zip_300_within_goal": within_goal,
        "zip_300_mb": round(full.size / MB, 1),
        "zip_300_seconds": round(full.seconds, 2),
        "zip_300_ok": not problems,
    }


def _download(server: Server, url: str, session: str, path: Path) -> Download:
    """GETs `url`, writing the body to `path` as it arrives, and measures the worker."""
    from django.conf import settings

    pid = server.worker_pid
    _reset_peak(pid)
    rss_before = _status_kb(pid, "VmRSS")
    connection = server.connection()
    size = 0
    try:
        started = time.perf_counter()
        connection.request(
            "GET", url, headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}"}
        )
        response = connection.getresponse()
        with path.open("wb") as out:
            while chunk := response.read(READ_CHUNK):
                out.write(chunk)
                size += len(chunk)
        seconds = time.perf_counter() - started
    finally:
        connection.close()
    peak = _status_kb(pid, "VmHWM")
    return Download(
        status=response.status,
        content_type=response.getheader("Content-Type", ""),
        size=size,
        seconds=seconds,
        peak_growth_mb=(peak - rss_before) / 1024,
    )


def _check_zip(download: Download, path: Path, digests: set[str]) -> list[str]:
    if download.status != 200 or download.content_type != "application/zip":
        return [f"answered {download.status} {download.content_type!r}, not a ZIP"]
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            entries = [e for e in archive.infolist() if e.filename != "index.csv"]
            found = set()
            for entry in entries:
                digest = hashlib.sha256()
                with archive.open(entry) as member:  # raises on a bad CRC at the end
                    while chunk := member.read(MB):
                        digest.update(chunk)
                found.add(digest.hexdigest())
    except (zipfile.BadZipFile, OSError) as error:
        return [f"the download is not a valid ZIP ({error})"]
    problems = [] if "index.csv" in names else ["the ZIP has no index.csv"]
    if len(entries) != ZIP_REPORTS:
        problems.append(f"the ZIP has {len(entries)} entries, not {ZIP_REPORTS}")
    if found != digests:
        problems.append("the ZIP's files differ from the stored reports")
    return problems


# Wrong passwords in a flood


FLOOD_SECONDS = 15
FLOOD_CLIENTS = 8
FLOOD_WORKERS = 3  # `make serve`'s default WEB_CONCURRENCY
FLOOD_PAGE_GOAL_MS = 500
FLOOD_LOGIN_GOAL_MS = 1000
FLOOD_PASSWORD = "harbour-kettle-violet-26"


def _bench_login_flood(tmp: Path) -> dict:
    """FLOOD_CLIENTS clients send wrong passwords as fast as the server answers, each from a new
    address every time (behind one trusted proxy, X-Forwarded-For) and for accounts that do not
    exist, so no limit ever refuses them: the worst case, where every attempt costs a full
    hash. Meanwhile one client keeps signing in with the right password and another keeps
    loading the sign-in page; their 95th percentiles say whether the site stays usable."""
    import threading

    from django.contrib.auth.hashers import make_password
    from django.db import connections
    from django.urls import reverse

    from tests import factories

    person = factories.StudentFactory(password=None)
    person.password = make_password(FLOOD_PASSWORD)  # the project's hasher: Argon2id
    person.save(update_fields=["password"])
    email = person.email
    connections.close_all()
    url = reverse("accounts:login")
    log_path = tmp / "server-flood.log"
    addresses = iter(range(1, 10_000_000))
    lock = threading.Lock()

    def next_address() -> str:
        with lock:
            n = next(addresses)
        return f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"

    def request(server, method, body=b"", cookie="") -> tuple[int, float]:
        headers = {"X-Forwarded-For": next_address()}
        if method == "POST":
            headers |= {
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": cookie,
            }
        connection = server.connection()
        try:
            started = time.perf_counter()
            connection.request(method, url, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            return response.status, time.perf_counter() - started
        finally:
            connection.close()

    def login_body(csrf: str, username: str, password: str) -> bytes:
        from urllib.parse import urlencode

        return urlencode(
            {"csrfmiddlewaretoken": csrf, "username": username, "password": password}
        ).encode()

    timings: dict[str, list[float]] = {"bad": [], "good": [], "page": []}
    statuses: dict[str, dict[int, int]] = {key: {} for key in timings}

    def record(kind: str, status: int, seconds: float) -> None:
        with lock:
            timings[kind].append(seconds)
            statuses[kind][status] = statuses[kind].get(status, 0) + 1

    try:
        with _server(log_path, workers=FLOOD_WORKERS, env={"TRUSTED_PROXY_COUNT": "1"}) as server:
            csrf_cookie, csrf = _login_csrf(server, url)
            cookie = f"csrftoken={csrf_cookie}"
            # Warm every worker up before measuring.
            for _ in range(FLOOD_WORKERS * 2):
                request(server, "GET")
            quiet = [request(server, "GET")[1] for _ in range(20)]
            deadline = time.monotonic() + FLOOD_SECONDS

            def attacker(n: int) -> None:
                tries = 0
                while time.monotonic() < deadline:
                    tries += 1
                    body = login_body(csrf, f"nobody-{n}-{tries}@example.org", "Spring2026!")
                    record("bad", *request(server, "POST", body, cookie))

            def good_login() -> None:
                while time.monotonic() < deadline:
                    body = login_body(csrf, email, FLOOD_PASSWORD)
                    record("good", *request(server, "POST", body, cookie))
                    time.sleep(0.2)

            def page() -> None:
                while time.monotonic() < deadline:
                    record("page", *request(server, "GET"))
                    time.sleep(0.1)

            threads = [threading.Thread(target=attacker, args=(n,)) for n in range(FLOOD_CLIENTS)]
            threads += [threading.Thread(target=good_login), threading.Thread(target=page)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
    except Exception:
        _print_log_end(log_path)
        raise

    def p95_ms(values: list[float]) -> float:
        ordered = sorted(values)
        return round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] * 1000, 1)

    page_p95, good_p95, bad_p95 = (p95_ms(timings[k]) for k in ("page", "good", "bad"))
    ok = set(statuses["good"]) == {302} and set(statuses["page"]) == {200}
    ok = ok and set(statuses["bad"]) == {200}
    page_met = page_p95 <= FLOOD_PAGE_GOAL_MS
    login_met = good_p95 <= FLOOD_LOGIN_GOAL_MS
    rate = len(timings["bad"]) / FLOOD_SECONDS
    print(
        f"{FLOOD_CLIENTS} clients sending wrong passwords for {FLOOD_SECONDS} s, each attempt "
        f"from a new address, to gunicorn with {FLOOD_WORKERS} sync workers:"
    )
    print(
        f"  wrong passwords     {len(timings['bad']):6d}  "
        f"({rate:.0f} a second; p95 {bad_p95:.0f} ms)"
    )
    print(
        f"  sign-in page p95    {page_p95:6.0f} ms  (quiet: {p95_ms(quiet):.0f} ms; goal: at most "
        f"{FLOOD_PAGE_GOAL_MS} ms; {'met' if page_met else 'MISSED'})"
    )
    print(
        f"  right password p95  {good_p95:6.0f} ms  ({len(timings['good'])} sign-ins; goal: at "
        f"most {FLOOD_LOGIN_GOAL_MS} ms; {'met' if login_met else 'MISSED'})"
    )
    if not ok:
        print(f"  FAILED: unexpected answers {statuses}")
    return {
        "login_flood_clients": FLOOD_CLIENTS,
        "login_flood_bad_logins": len(timings["bad"]),
        "login_flood_bad_p95_ms": bad_p95,
        "login_flood_page_p95_ms": page_p95,
        "login_flood_page_quiet_p95_ms": p95_ms(quiet),
        "login_flood_page_within_goal": page_met,
        "login_flood_good_login_p95_ms": good_p95,
        "login_flood_good_login_within_goal": login_met,
        "login_flood_ok": ok,
    }


def _login_csrf(server: Server, url: str) -> tuple[str, str]:
    connection = server.connection()
    try:
        connection.request("GET", url, headers={"X-Forwarded-For": "10.255.255.254"})
        response = connection.getresponse()
        page = response.read().decode()
    finally:
        connection.close()
    cookies = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        cookies.load(header)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if response.status != 200 or "csrftoken" not in cookies or token is None:
        raise RuntimeError(f"The sign-in page answered {response.status} without a CSRF token.")
    return cookies["csrftoken"].value, token.group(1)


if __name__ == "__main__":
    sys.exit(main())
