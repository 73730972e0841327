"""`make bench`'s page figures: every key page under load, at national scale, on PostgreSQL.

Run as `python -m bench.pages` (bench/run.py does, first, while the machine is quiet). It
creates or reuses a throwaway PostgreSQL database holding `manage.py seed_scale`'s dataset,
serves the app with gunicorn (PAGE_WORKERS sync workers, DEBUG off) and drives CLIENTS
concurrent clients at each page for PAGE_SECONDS, after a short warm-up, one page at a time, so
the workers are idle between pages. A bare view (one `SELECT 1`, bench/urls.py) served by the
same gunicorn, middleware and database is measured before and after the pages: its rate is the
stack's own ceiling on this machine, and each page's rate is given as a share of it.

Human-readable lines come first; the last line is one JSON object. Where no PostgreSQL server
answers, it says so and the JSON holds `"pages": null` and the reason, rather than failing.

Environment:
- BENCH_POSTGRES_URL: the server (default postgres://postgres@127.0.0.1:5432/).
- BENCH_SCALE_DATABASE: the database's name (default pp_bench_scale). It is kept between runs,
  with its stored files in ~/.cache/practice-portfolio-bench/NAME/, so the seeding (a few
  minutes) happens once per machine; BENCH_RESEED=1 drops it and seeds again.
- BENCH_SCALE_ARGS: options passed to seed_scale (default: none, the full national dataset),
  e.g. "--placements 500" for a quick try. Use a different BENCH_SCALE_DATABASE for it.
- BENCH_PAGE_SECONDS: how long each page is loaded (default 8).
"""

import http.client
import json
import multiprocessing
import os
import secrets
import shlex
import shutil
import socket
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from bench.run import _server

CLIENTS = 8
PAGE_WORKERS = 2
PAGE_SECONDS = float(os.environ.get("BENCH_PAGE_SECONDS", "8"))
WARM_UP_SECONDS = 1.5
P95_GOAL_MS = 100
SHARE_GOAL = 0.15
EVIDENCE_LIST_ITEMS = 69  # the evidence list is measured on a portfolio of about this size
CASELOAD = range(5, 16)  # ...whose educator has a typical caseload
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/"
# The database lives on the server, not in a checkout, so its stored files do too: any clone
# reuses both.
CACHE = (
    Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "practice-portfolio-bench"
)


def main() -> int:
    server_url = os.environ.get("BENCH_POSTGRES_URL") or DEFAULT_SERVER
    name = os.environ.get("BENCH_SCALE_DATABASE", "pp_bench_scale")
    reason = _no_server(server_url)
    if reason:
        print(f"Page figures skipped: {reason}")
        print(json.dumps({"pages": None, "pages_skipped": reason}))
        return 0
    with tempfile.TemporaryDirectory(prefix="pp-bench-pages-") as tmp:
        figures = _run(server_url, name, Path(tmp))
    print(json.dumps(figures))
    return 0 if figures["pages_ok"] else 1


def _no_server(server_url: str) -> str:
    parts = urlsplit(server_url)
    address = (parts.hostname or "127.0.0.1", parts.port or 5432)
    try:
        socket.create_connection(address, timeout=2).close()
    except OSError:
        return (
            f"no PostgreSQL server answers at {address[0]}:{address[1]} "
            "(set BENCH_POSTGRES_URL to measure the pages)"
        )
    return ""


def _database_url(server_url: str, name: str) -> str:
    parts = urlsplit(server_url)
    return parts._replace(path=f"/{name}").geturl()


def _prepare_database(server_url: str, name: str) -> Path:
    """Creates the database (and its media folder) unless both exist; a database whose stored
    files are gone is dropped and made again, so stored reports always have their PDFs."""
    import psycopg
    from psycopg import sql

    media = CACHE / name / "media"
    reseed = os.environ.get("BENCH_RESEED") == "1"
    with psycopg.connect(_database_url(server_url, "postgres"), autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and (reseed or not media.is_dir()):
            print(f"Dropping {name} to seed it again")
            admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
            exists = None
        if not exists:
            shutil.rmtree(media, ignore_errors=True)
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    media.mkdir(parents=True, exist_ok=True)
    return media


def _configure(database_url: str, media: Path, tmp: Path) -> None:
    static = tmp / "static"
    static.mkdir()
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DATABASE_URL": database_url,
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_COOKIES": "false",
            "MEDIA_ROOT": str(media),
            "STATIC_ROOT": str(static),
            "AWS_STORAGE_BUCKET_NAME": "",
            "EMAIL_URL": "dummymail://",
            "LOG_LEVEL": "WARNING",
        }
    )


def _run(server_url: str, name: str, tmp: Path) -> dict:
    media = _prepare_database(server_url, name)
    _configure(_database_url(server_url, name), media, tmp)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("loaddata", "frameworks", "grading_scales", "practice_areas", verbosity=0)
    started = time.perf_counter()
    call_command("seed_scale", *shlex.split(os.environ.get("BENCH_SCALE_ARGS", "")))
    seed_seconds = time.perf_counter() - started
    size = _dataset_size()
    print(
        f"Dataset in {name} ({seed_seconds:.0f} s to seed or check): "
        + ", ".join(f"{n:,} {what}" for what, n in size.items())
    )
    pages = _pages()
    for page in pages:
        page.queries = _queries(page)
    server_version = connection.cursor().connection.info.server_version
    connections.close_all()

    log_path = tmp / "server.log"
    with _server(
        log_path, workers=PAGE_WORKERS, env={"DJANGO_SETTINGS_MODULE": "bench.settings"}
    ) as server:
        bare_before = _measure(server.port, "/_bench/bare/", "")
        results = {page.name: _measure(server.port, page.url, page.cookie) for page in pages}
        bare_after = _measure(server.port, "/_bench/bare/", "")
    bare_rps = (bare_before.rps + bare_after.rps) / 2
    return _report(pages, results, bare_before, bare_after, bare_rps, size, server_version)


def _dataset_size() -> dict:
    from assessments.models import Judgement, JudgementEvidence
    from portfolios.models import Evidence, EvidenceMapping, Placement, University

    return {
        "universities": University.objects.count(),
        "placements": Placement.objects.count(),
        "evidence items": Evidence.objects.count(),
        "domain mappings": EvidenceMapping.objects.count(),
        "judgements": Judgement.objects.count(),
        "citations": JudgementEvidence.objects.count(),
    }


# What is measured


@dataclass
class Page:
    name: str
    label: str
    url: str
    user: object
    cookie: str = ""
    queries: int = 0


def _pages() -> list[Page]:
    """The pages, each as the person who uses it, in the largest university of the dataset."""
    from django.db.models import Count, Subquery
    from django.urls import reverse

    from accounts.models import User
    from accounts.roles import Role
    from assessments.models import Review, SignedReport
    from portfolios.models import Evidence, Placement, University

    university = (
        University.objects.annotate(n=Count("programmes__placements"))
        .order_by("-n", "name")
        .first()
    )
    if university is None:
        raise RuntimeError("seed_scale left no university to measure.")
    placements = Placement.objects.filter(programme__university=university)
    members = university.members.all()
    evidence_count = Subquery(_count_of(Evidence, "placement"))

    # The educator's placement: a draft final review with citations, on a portfolio of about
    # EVIDENCE_LIST_ITEMS items, whose educator has a typical caseload.
    drafts = list(
        Review.objects.filter(
            placement__in=placements,
            kind=Review.Kind.FINAL,
            status=Review.Status.DRAFT,
            judgements__citations__isnull=False,
        )
        .distinct()
        .annotate(evidence_count=evidence_count)
        .select_related("placement__educator", "placement__student")[:300]
    )
    if not drafts:
        raise RuntimeError("seed_scale left no draft final review with citations.")
    caseloads = dict(
        placements.filter(educator__in={r.placement.educator_id for r in drafts})
        .values_list("educator")
        .annotate(n=Count("pk"))
    )
    draft = min(
        drafts,
        key=lambda r: (
            caseloads.get(r.placement.educator_id, 0) not in CASELOAD,
            abs((r.evidence_count or 0) - EVIDENCE_LIST_ITEMS),
        ),
    )
    placement = draft.placement
    educator, student = placement.educator, placement.student

    # The stored report: the largest portfolio's, in the same university.
    report = (
        SignedReport.objects.filter(review__placement__in=placements)
        .alias(evidence_count=Subquery(_count_of(Evidence, "review__placement")))
        .select_related("review__placement__educator")
        .order_by("-evidence_count", "-version")
        .first()
    )
    if report is None:
        raise RuntimeError("seed_scale left no stored report.")

    def one(who: str, people) -> User:
        found = people.order_by("pk").first()
        if found is None:
            raise RuntimeError(f"seed_scale left no {who} to sign in as.")
        return found

    coordinator = one("coordinator", members.filter(groups__name=Role.COORDINATOR))
    panel = one("panel member", members.filter(groups__name=Role.PANEL))
    countersigning = placements.filter(reviews__status=Review.Status.ACKNOWLEDGED)
    tutor = one(
        "tutor with a review to countersign",
        User.objects.filter(pk__in=countersigning.values("tutor")),
    )
    supervising = placements.filter(status=Placement.Status.ACTIVE, supervisor__isnull=False)
    supervisor = one(
        "on-site supervisor",
        User.objects.filter(pk__in=supervising.values("supervisor")).exclude(
            groups__name=Role.EDUCATOR
        ),
    )
    evidence_items = Evidence.objects.filter(placement=placement).count()

    cohort = reverse("portfolios:dashboard-cohort")
    on_placement = {"pk": placement.pk}
    on_draft = {"pk": draft.pk}
    rows = [
        ("student_dashboard", "student's dashboard", "portfolios:dashboard-student", {}, student),
        (
            "educator_dashboard",
            "educator's dashboard",
            "portfolios:dashboard-educator",
            {},
            educator,
        ),
        (
            "supervisor_dashboard",
            "on-site supervisor's dashboard",
            "portfolios:dashboard-educator",
            {},
            supervisor,
        ),
        (
            "cohort",
            f"cohort, unfiltered ({placements.count():,} placements)",
            cohort,
            {},
            coordinator,
        ),
        (
            "cohort_filtered",
            "cohort, active final placements",
            f"{cohort}?stage=final&status=active",
            {},
            coordinator,
        ),
        ("cohort_page_5", "cohort, page 5", f"{cohort}?page=5", {}, coordinator),
        ("placement", "placement", "portfolios:placement-detail", on_placement, educator),
        ("coverage", "coverage", "portfolios:coverage", on_placement, educator),
        (
            "evidence_list",
            f"evidence list ({evidence_items} items)",
            "portfolios:evidence-list",
            on_placement,
            educator,
        ),
        (
            "review_edit",
            "review edit (a domain's judgement)",
            "assessments:judgement-edit",
            {**on_draft, "order": 1},
            educator,
        ),
        (
            "report_html",
            "HTML report (the largest portfolio)",
            "assessments:review-report-html",
            {"pk": report.review_id},
            report.review.placement.educator,
        ),
        (
            "report_pdf_stored",
            "PDF, stored",
            "assessments:report-download",
            {"pk": report.pk},
            coordinator,
        ),
        (
            "report_pdf_draft",
            "PDF, draft rendered on request",
            "assessments:review-report",
            on_draft,
            educator,
        ),
        ("panel_queue", "panel's queue", "assessments:panel-queue", {}, panel),
        ("tutor_todo", "tutor's to-do list", "home", {}, tutor),
    ]
    return [
        Page(name, label, where if where.startswith("/") else reverse(where, kwargs=kwargs), user)
        for name, label, where, kwargs, user in rows
    ]


def _count_of(model, outer: str):
    """How many rows of `model` belong to the outer query's placement, as a subquery."""
    from django.db.models import Count, OuterRef

    return (
        model.objects.filter(placement=OuterRef(outer))
        .order_by()
        .values("placement")
        .annotate(n=Count("pk"))
        .values("n")
    )


def _queries(page: Page) -> int:
    """Signs the page's person in (a session in the database, as a sign-in leaves it), checks
    the page answers 200 and counts its queries. The tutor's home redirects to their dashboard,
    which is then the page measured."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(page.user)
    page.cookie = (
        f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    )
    response = client.get(page.url)
    if response.status_code == 302 and page.url == "/":
        page.url = response.headers["Location"]
        response = client.get(page.url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(page.url)
    if response.status_code != 200:
        raise RuntimeError(f"{page.label} ({page.url}) answered {response.status_code}, not 200.")
    return len(queries)


@dataclass(frozen=True)
class Load:
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    errors: dict

    @property
    def rps(self) -> float:
        return self.requests / self.seconds


def _measure(port: int, path: str, cookie: str) -> Load:
    _load(port, path, cookie, WARM_UP_SECONDS)
    time.sleep(0.3)
    return _load(port, path, cookie, PAGE_SECONDS)


def _load(port: int, path: str, cookie: str, seconds: float) -> Load:
    """CLIENTS processes (not threads: one interpreter's lock would cap the rate of the bare
    view) each send requests one after another until the deadline."""
    context = multiprocessing.get_context("fork")
    receivers, processes = [], []
    started = time.monotonic()
    deadline = started + seconds
    for _ in range(CLIENTS):
        receiver, sender = context.Pipe(duplex=False)
        process = context.Process(target=_client, args=(port, path, cookie, deadline, sender))
        process.start()
        sender.close()
        receivers.append(receiver)
        processes.append(process)
    timings, errors = [], {}
    for receiver in receivers:
        client_timings, client_errors = receiver.recv()
        timings += client_timings
        for status, n in client_errors.items():
            errors[status] = errors.get(status, 0) + n
    for process in processes:
        process.join()
    elapsed = time.monotonic() - started
    timings.sort()
    return Load(
        requests=len(timings),
        seconds=elapsed,
        p50_ms=statistics.median(timings) * 1000 if timings else 0.0,
        p95_ms=timings[min(len(timings) - 1, int(len(timings) * 0.95))] * 1000 if timings else 0.0,
        errors=errors,
    )


def _client(port: int, path: str, cookie: str, deadline: float, sender) -> None:
    headers = {"Cookie": cookie} if cookie else {}
    timings, errors = [], {}
    while time.monotonic() < deadline:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        try:
            began = time.perf_counter()
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            timings.append(time.perf_counter() - began)
            if response.status != 200:
                errors[response.status] = errors.get(response.status, 0) + 1
        except OSError as error:
            errors[type(error).__name__] = errors.get(type(error).__name__, 0) + 1
        finally:
            connection.close()
    sender.send((timings, errors))
    sender.close()


def _report(pages, results, bare_before, bare_after, bare_rps, size, server_version) -> dict:
    print(
        f"Pages under load: gunicorn with {PAGE_WORKERS} sync workers, DEBUG off, PostgreSQL "
        f"{server_version // 10000}, {CLIENTS} clients for {PAGE_SECONDS:g} s each after a "
        f"{WARM_UP_SECONDS:g} s warm-up, on {os.cpu_count()} CPUs"
    )
    print(
        f"  bare view (SELECT 1): {bare_rps:,.0f} requests/s (before the pages "
        f"{bare_before.rps:,.0f}, after {bare_after.rps:,.0f}); p95 {bare_before.p95_ms:.1f} ms"
    )
    print(
        f"  goals: p95 at most {P95_GOAL_MS} ms and at least {SHARE_GOAL:.0%} of the bare "
        "view's rate"
    )
    print(f"  {'page':44} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'share':>6} {'queries':>7}")
    figures, missed, ok = {}, [], not (bare_before.errors or bare_after.errors)
    for page in pages:
        load = results[page.name]
        share = load.rps / bare_rps
        met = load.p95_ms <= P95_GOAL_MS and share >= SHARE_GOAL
        if not met:
            missed.append(page.name)
        if load.errors:
            ok = False
        print(
            f"  {page.label:44} {load.rps:7.1f} {load.p50_ms:7.1f} {load.p95_ms:7.1f} "
            f"{share:6.3f} {page.queries:7d}  {'met' if met else 'MISSED'}"
            + (f"  ERRORS {load.errors}" if load.errors else "")
        )
        figures[page.name] = {
            "p50_ms": round(load.p50_ms, 1),
            "p95_ms": round(load.p95_ms, 1),
            "rps": round(load.rps, 1),
            "queries": page.queries,
            "share_of_bare": round(share, 3),
            "within_goal": met,
        }
    return {
        "bare_rps": round(bare_rps, 1),
        "bare_p95_ms": round(bare_before.p95_ms, 1),
        "pages": figures,
        "pages_goal_p95_ms": P95_GOAL_MS,
        "pages_goal_share_of_bare": SHARE_GOAL,
        "pages_missed": missed,
        "pages_clients": CLIENTS,
        "pages_workers": PAGE_WORKERS,
        "pages_seconds": PAGE_SECONDS,
        "pages_dataset": {what.replace(" ", "_"): n for what, n in size.items()},
        "pages_ok": ok,
    }


if __name__ == "__main__":
    sys.exit(main())
