"""`make bench`: the figures docs/performance.md promises, measured on a throwaway database.

Run as `python -m bench.run` from the project folder. Human-readable lines come first; the last
line is one JSON object holding every figure, for scripts. The exit status is non-zero only
when something did not work, never for missing a goal.

Uploads are measured in a real gunicorn worker fed by a streaming HTTP client, not with
django.test.Client: the test client builds the whole multipart body in memory, which no real
server does, so its peak would measure the test client rather than the app.
"""

import datetime
import hashlib
import http.client
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import uuid
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
REQUEST_TIMEOUT = 300  # seconds; gunicorn's worker timeout is set to the same


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="pp-bench-") as tmp:
        _configure(Path(tmp))
        figures = _run(Path(tmp))
    print(json.dumps(figures))
    return 0 if figures["upload_ok"] else 1


def _configure(tmp: Path) -> None:
    """Settings come only from the environment, so it is set before Django reads them; the
    gunicorn subprocess inherits the same environment."""
    for folder in ("media", "static", "uploads"):
        (tmp / folder).mkdir()
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite3'}",
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
    from tests import factories

    placement = factories.PlacementFactory()
    log_path = tmp / "server.log"
    try:
        with _server(log_path) as server:
            figures = _bench_upload(server, placement, tmp)
    except Exception:
        _print_log_end(log_path)
        raise
    if not figures["upload_ok"]:
        _print_log_end(log_path)
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
def _server(log_path: Path) -> Iterator[Server]:
    """gunicorn with one sync worker, as `make serve` runs it; stopped however the block ends."""
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        f"--bind=127.0.0.1:{port}",
        "--workers=1",
        f"--timeout={REQUEST_TIMEOUT}",
        *_without_control_socket(),
    ]
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=BASE_DIR, stdout=log, stderr=subprocess.STDOUT)
        try:
            yield Server(port=port, worker_pid=_wait_for_worker(process, port))
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


def _wait_for_worker(process: subprocess.Popen, port: int) -> int:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped at start-up (exit status {process.returncode}).")
        workers = _children(process.pid)
        if len(workers) == 1:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
            except OSError:
                pass
            else:
                return workers[0]
        time.sleep(0.1)
    raise RuntimeError("gunicorn did not start a worker within a minute.")


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


if __name__ == "__main__":
    sys.exit(main())
