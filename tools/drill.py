"""The production drill (`python3 dev.py drill`): the production shape on loopback, walked
through as its users would, with one app server killed under load.

It starts PostgreSQL (a throwaway cluster), Redis, an S3-protocol server, one background-task
worker and two gunicorn app servers behind HAProxy (deploy/haproxy.cfg), prepares the database
(migrations, reference data, the demo), then:

1. asks both servers' /readyz (database, Redis, bucket, the worker's heartbeat);
2. signs the demo cooperative manager in through the balancer (password and one-time code);
3. uploads a product photo to server A, finds it in the bucket and reads it from server B;
4. reads the product's public page from server B (cached), changes the product on server A and
   sees B's page change at once;
5. imports a spreadsheet, checked and applied by the worker, while both servers answer;
6. loads the balancer with public pages, kills server A in the middle, and counts the requests
   that failed (none may), then reads a staff page with the same session and the change of 4.

It prints one line per step and the figures, and exits non-zero when a step fails. Runs in the
interpreter of .venv (it drives the product's own commands and needs its packages).
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import requests
from PIL import Image

from tools import pgcluster, services

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
DESADEVISA = VENV_BIN / "desadevisa"
HAPROXY_CONFIG = ROOT / "deploy" / "haproxy.cfg"
MANAGER = "demo-koperasi"
PASSWORD = "demo-desa-devisa"  # noqa: S105 - the documented password of the demonstration accounts
BUCKET = "desadevisa-drill"
# The public address the site is given: a name reserved for tests (production refuses a
# loopback one), while the drill's own requests go to the balancer on 127.0.0.1.
SITE_URL = "http://desadevisa.test"
LOAD_SECONDS = 12
LOAD_CLIENTS = 8
KILL_AFTER_SECONDS = 4


class DrillFailed(Exception):
    """A step of the drill did not go as the production shape promises."""


def say(message: str = "") -> None:
    print(message, flush=True)  # noqa: T201 - the drill reports on standard output


# Forms -----------------------------------------------------------------------------------------


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, list[str]] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)


class FormParser(HTMLParser):
    """The forms of a page with the values a browser would send for them unchanged."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.forms.append(Form(attributes.get("action", ""), attributes.get("method", "get")))
        if not self.forms:
            return
        form, name = self.forms[-1], attributes.get("name")
        if tag == "input" and name:
            kind = attributes.get("type", "text").lower()
            if kind == "file":
                form.files.append(name)
            elif kind in {"checkbox", "radio"}:
                if "checked" in attributes:
                    form.fields.setdefault(name, []).append(attributes.get("value", "on"))
            elif kind not in {"submit", "button", "reset", "image"}:
                form.fields.setdefault(name, []).append(attributes.get("value", ""))
        elif tag == "select" and name:
            self._select, self._select_first, self._select_chosen = name, None, False
        elif tag == "option" and self._select:
            value = attributes.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in attributes:
                form.fields.setdefault(self._select, []).append(value)
                self._select_chosen = True
        elif tag == "textarea" and name:
            self._textarea = name
            form.fields[name] = [""]

    def handle_data(self, data: str) -> None:
        if self._textarea and self.forms:
            self.forms[-1].fields[self._textarea][-1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select and self.forms:
            if not self._select_chosen and self._select_first is not None:
                self.forms[-1].fields[self._select] = [self._select_first]
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def forms_of(html: str) -> list[Form]:
    parser = FormParser()
    parser.feed(html)
    return parser.forms


# A browser's visit -------------------------------------------------------------------------------


class Visitor:
    """One person's browser: a session whose cookies go to every server of the site."""

    def __init__(self) -> None:
        self.http = requests.Session()
        self.http.headers["Accept-Language"] = "en"

    def get(self, url: str, *, expect: int = 200) -> requests.Response:
        response = self.http.get(url, timeout=30)
        check(response, expect)
        return response

    def submit(
        self,
        url: str,
        *,
        having: str,
        changes: dict[str, str | list[str]] | None = None,
        files: dict[str, tuple[str, bytes, str]] | None = None,
        expect: int = 200,
    ) -> requests.Response:
        """Open ``url``, fill in the form that has the field ``having`` (or, as ``/apply/``,
        whose action holds it) and send it."""
        page = self.get(url)
        forms = forms_of(page.text)
        form = next((form for form in forms if having in form.fields or having in form.files), None)
        form = form or next((form for form in forms if having in form.action), None)
        if form is None:
            raise DrillFailed(f"{url} shows no form with the field {having!r}")
        data = dict(form.fields)
        for name, value in (changes or {}).items():
            data[name] = value if isinstance(value, list) else [value]
        response = self.http.post(
            urljoin(page.url, form.action or page.url),
            data=data,
            files=files,
            headers={"Referer": page.url},
            timeout=60,
        )
        check(response, expect)
        return response


def check(response: requests.Response, expect: int) -> None:
    if response.status_code != expect:
        raise DrillFailed(
            f"{response.request.method} {response.url} answered {response.status_code}, "
            f"not {expect}"
        )


# The servers -----------------------------------------------------------------------------------


@dataclass
class Site:
    balancer: services.Process
    a: services.Process
    b: services.Process
    s3: services.Process
    env: dict[str, str]


def product_env(
    cluster: pgcluster.Cluster,
    redis: services.Process,
    s3: services.Process,
    data_dir: Path,
    site_url: str,
) -> dict[str, str]:
    """The configuration of every product process: what an operator sets in production."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DATABASE_URL": cluster.url,
        "REDIS_URL": f"redis://{redis.address}/0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": site_url,
        "DATA_DIR": str(data_dir),
        "LOG_FORMAT": "json",
        "S3_BUCKET": BUCKET,
        "S3_ENDPOINT_URL": s3.url,
        "S3_REGION": "us-east-1",
        "S3_ACCESS_KEY_ID": "drill",
        "S3_SECRET_ACCESS_KEY": "drill-secret",
    }


def desadevisa(env: dict[str, str], *arguments: str) -> str:
    result = subprocess.run(  # noqa: S603 - fixed program, arguments written here
        [DESADEVISA, *arguments], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise DrillFailed(f"desadevisa {' '.join(arguments)} failed:\n{result.stderr[-2000:]}")
    return result.stdout


def gunicorn(name: str, env: dict[str, str], directory: Path):
    port = services.free_port()
    command = [sys.executable, "-m", "gunicorn", "config.wsgi:application"]
    command += [f"--bind={services.LOOPBACK}:{port}", "--workers=2", "--worker-class=gthread"]
    command += ["--threads=4", "--graceful-timeout=5", "--no-control-socket"]
    return services.started(
        name, command, port=port, directory=directory, env=env, ready="/healthz", timeout=90
    )


def bucket(s3: services.Process):
    """A client of the S3 server, as the app servers reach it."""
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=s3.url,
        region_name="us-east-1",
        aws_access_key_id="drill",
        aws_secret_access_key="drill-secret",  # noqa: S106 - the throwaway server's own key
    )


def stored_objects(s3: services.Process) -> set[str]:
    listing = bucket(s3).list_objects_v2(Bucket=BUCKET)
    return {item["Key"] for item in listing.get("Contents", [])}


@contextlib.contextmanager
def production_site(directory: Path) -> Iterator[Site]:
    with contextlib.ExitStack() as stack:
        started = time.monotonic()
        cluster = stack.enter_context(pgcluster.throwaway_cluster())
        redis = stack.enter_context(services.redis_server(directory))
        s3 = stack.enter_context(services.s3_server(directory, Path(sys.executable)))
        bucket(s3).create_bucket(Bucket=BUCKET)
        balancer_port = services.free_port()
        env = product_env(cluster, redis, s3, directory / "data", SITE_URL)
        step(f"PostgreSQL, Redis and the S3 server started in {time.monotonic() - started:.1f} s")

        started = time.monotonic()
        desadevisa(env, "migrate", "--no-input", "--verbosity=0")
        desadevisa(env, "load-reference")
        desadevisa(env, "demo")
        desadevisa(env, "collectstatic", "--no-input", "--verbosity=0")
        step(
            f"Database prepared (migrations, reference data, demo) in "
            f"{time.monotonic() - started:.1f} s"
        )

        worker_command = [DESADEVISA, "db-worker", "--queue-name", "*", "--no-reload"]
        stack.enter_context(
            services.started("worker", worker_command, port=None, directory=directory, env=env)
        )
        a = stack.enter_context(gunicorn("server-a", env, directory))
        b = stack.enter_context(gunicorn("server-b", env, directory))
        balancer = stack.enter_context(
            services.haproxy(directory, HAPROXY_CONFIG, backends=[a, b], port=balancer_port)
        )
        step(
            f"Task worker, servers A ({a.address}) and B ({b.address}) behind HAProxy "
            f"({balancer.address})"
        )
        yield Site(balancer=balancer, a=a, b=b, s3=s3, env=env)


def step(message: str) -> None:
    say(f"  ok  {message}")


# The walk --------------------------------------------------------------------------------------


def sign_in(site: Site) -> Visitor:
    """The cooperative manager signs in through the balancer: password, then one-time code."""
    visitor = Visitor()
    lb = site.balancer.url
    page = visitor.submit(
        f"{lb}/en/accounts/login/",
        having="username",
        changes={"username": MANAGER, "password": PASSWORD},
    )
    if "/two-factor/" not in page.url:
        raise DrillFailed(f"the password step led to {page.url}, not the one-time code")
    visitor.submit(page.url, having="code", changes={"code": one_time_code(site.env)})
    visitor.get(f"{lb}/en/accounts/profile/")
    step(f"{MANAGER} signed in through the balancer (password and one-time code)")
    return visitor


def one_time_code(env: dict[str, str]) -> str:
    """The account's current code, with a few seconds of validity left."""
    while True:
        output = desadevisa(env, "otp", MANAGER)
        code, seconds = re.findall(r"\d+", output)[:2]
        if int(seconds) >= 5:
            return code
        time.sleep(int(seconds) + 1)


def links(html: str, pattern: str) -> list[str]:
    return re.findall(rf'href="({pattern})"', html)


def the_product(visitor: Visitor, site: Site) -> tuple[str, str]:
    """The staff page and the public page of the cooperative's Kendang Djimbe."""
    lb = site.balancer.url
    listing = visitor.get(f"{lb}/en/catalog/products/?q=Djimbe")
    staff = links(listing.text, r"/en/catalog/products/\d+/")
    if not staff:
        raise DrillFailed("the manager's product list does not show Kendang Djimbe")
    search = visitor.get(f"{lb}/en/products/?q=djimbe")
    public = links(search.text, r"/en/products/[\w-]+/")
    if not public:
        raise DrillFailed("the public catalog does not find Kendang Djimbe")
    return staff[0], public[0]


def jpeg(colour: tuple[int, int, int]) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (640, 480), colour).save(output, "JPEG", quality=85)
    return output.getvalue()


def photo_stored_by_a_served_by_b(visitor: Visitor, site: Site, product: str) -> None:
    photos = f"{product}photos/"
    pattern = r"/en/catalog/photos/\d+/file/\w+/"
    before = set(re.findall(pattern, visitor.get(site.b.url + photos).text))
    objects = stored_objects(site.s3)
    visitor.submit(
        site.a.url + photos,
        having="photos",
        changes={"caption": "Drill photo"},
        files={"photos": ("drill.jpg", jpeg((180, 90, 40)), "image/jpeg")},
    )
    stored = stored_objects(site.s3) - objects
    if not stored:
        raise DrillFailed("the photo uploaded to server A is not in the bucket")
    added = set(re.findall(pattern, visitor.get(site.b.url + photos).text)) - before
    if not added:
        raise DrillFailed("server B does not list the photo server A stored")
    for url in sorted(added):
        response = visitor.get(site.b.url + url)
        if not response.headers.get("Content-Type", "").startswith("image/"):
            raise DrillFailed(f"server B served {url} as {response.headers.get('Content-Type')}")
    step(f"a photo uploaded to server A is in the bucket ({len(stored)} objects) and served by B")


def change_on_a_shows_on_b(visitor: Visitor, site: Site, product: str, public: str) -> str:
    reader = requests.Session()
    first = reader.get(site.b.url + public, timeout=30)
    again = reader.get(site.b.url + public, timeout=30)
    check(first, 200)
    check(again, 200)
    mark = f"Checked in the production drill {secrets.token_hex(4)}."
    edit = f"{product}edit/"
    form = next(
        f for f in forms_of(visitor.get(site.a.url + edit).text) if "description_en" in f.fields
    )
    description = form.fields["description_en"][0].strip()
    visitor.submit(
        site.a.url + edit,
        having="description_en",
        changes={"description_en": f"{description} {mark}"},
    )
    after = reader.get(site.b.url + public, timeout=30)
    check(after, 200)
    if mark not in after.text:
        raise DrillFailed("server B's cached public page did not change with the save on server A")
    if f'content="{SITE_URL}{public}"' not in after.text:
        raise DrillFailed(f"the public page does not give its address as {SITE_URL}{public}")
    step(
        "a product changed on server A shows at once on server B's cached public page, "
        f"which gives its address under {SITE_URL}"
    )
    return mark


def import_on_the_worker(visitor: Visitor, site: Site) -> None:
    """Export the cooperative's craft units, raise the first one's monthly capacity, import the
    file back and apply it: the worker checks and applies while both servers answer."""
    lb = site.balancer.url
    exported = visitor.get(f"{lb}/en/registry/craft-units/?export=csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(exported)))
    header = rows[0]
    column = next((i for i, name in enumerate(header) if "capacity" in name.lower()), None)
    if column is None or len(rows) < 2:
        raise DrillFailed(f"the craft-unit export has no capacity column or no rows: {header}")
    # The first unit is Basuki's workshop, the cooperative's own; the list also shows units the
    # manager reads but may not change, which the import refuses even unchanged.
    rows[1][column] = str(int(rows[1][column] or 0) + 1)
    upload = io.StringIO()
    csv.writer(upload).writerows(rows[:2])
    answered = Pinger([site.a, site.b])
    with answered.running():
        job = visitor.submit(
            f"{lb}/en/imports/",
            having="kind",
            changes={"kind": "craft-units"},
            files={"file": ("craft-units.csv", upload.getvalue().encode(), "text/csv")},
        )
        wait_for(visitor, job.url, "Ready to apply")
        visitor.submit(job.url, having="/apply/")
        wait_for(visitor, job.url, "Applied")
    if answered.failures:
        raise DrillFailed(f"servers failed to answer during the import: {answered.failures[:3]}")
    step(
        "a craft unit's new capacity imported by the worker while both servers answered "
        f"({answered.count} health checks, 0 failed)"
    )


def wait_for(visitor: Visitor, url: str, status: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        page = visitor.get(url).text
        if f"<dd>{status}</dd>" in page:
            return
        if "<dd>Has errors</dd>" in page or "<dd>Failed</dd>" in page:
            raise DrillFailed(f"the import at {url} did not pass its check: {text_of(page)}")
        time.sleep(0.5)
    raise DrillFailed(f"the import at {url} did not reach {status!r} in {timeout:.0f} s")


def text_of(html: str, limit: int = 800) -> str:
    """The words of a page's main part, for a failure's message."""
    main = html.split("<main", 1)[-1]
    words = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main)).strip()
    return words[:limit]


class Pinger:
    """Asks each server's /healthz in turn while a step runs, and counts what failed."""

    def __init__(self, servers: list[services.Process]) -> None:
        self.servers = servers
        self.count = 0
        self.failures: list[str] = []
        self._stop = threading.Event()

    @contextlib.contextmanager
    def running(self) -> Iterator[None]:
        thread = threading.Thread(target=self._ping, daemon=True)
        thread.start()
        try:
            yield
        finally:
            self._stop.set()
            thread.join()

    def _ping(self) -> None:
        while not self._stop.is_set():
            for server in self.servers:
                self.count += 1
                try:
                    status = requests.get(f"{server.url}/healthz", timeout=5).status_code
                except requests.RequestException as error:
                    self.failures.append(f"{server.name}: {error}")
                else:
                    if status != 200:
                        self.failures.append(f"{server.name}: {status}")
            self._stop.wait(0.2)


@dataclass
class Load:
    """Clients asking the balancer for public pages; one of the servers dies in between."""

    urls: list[str]
    timings: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    killed_at: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def client(self, until: float) -> None:
        session = requests.Session()
        turn = 0
        while time.monotonic() < until:
            url = self.urls[turn % len(self.urls)]
            turn += 1
            started = time.monotonic()
            try:
                status = session.get(url, timeout=15).status_code
            except requests.RequestException as error:
                problem = f"{url}: {type(error).__name__}"
            else:
                problem = "" if status == 200 else f"{url}: {status}"
            with self.lock:
                self.timings.append(time.monotonic() - started)
                if problem:
                    self.errors.append(problem)


def kill_a_under_load(visitor: Visitor, site: Site, public: str, mark: str) -> dict[str, float]:
    lb = site.balancer.url
    load = Load(urls=[f"{lb}{public}", f"{lb}/en/", f"{lb}/en/products/?q=drum", f"{lb}/id/"])
    until = time.monotonic() + LOAD_SECONDS
    clients = [
        threading.Thread(target=load.client, args=(until,), daemon=True)
        for _ in range(LOAD_CLIENTS)
    ]
    for client in clients:
        client.start()
    time.sleep(KILL_AFTER_SECONDS)
    site.a.kill()
    load.killed_at = time.monotonic()
    for client in clients:
        client.join()
    if load.errors:
        raise DrillFailed(
            f"{len(load.errors)} of {len(load.timings)} requests failed after server A was "
            f"killed: {load.errors[:5]}"
        )
    visitor.get(f"{lb}/en/accounts/profile/")
    if mark not in requests.get(f"{lb}{public}", timeout=30).text:
        raise DrillFailed("the product's change is gone after server A was killed")
    timings = sorted(load.timings)
    figures = {
        "requests": len(timings),
        "errors": 0,
        "requests_per_second": len(timings) / LOAD_SECONDS,
        "median_ms": statistics.median(timings) * 1000,
        "p99_ms": timings[int(len(timings) * 0.99) - 1] * 1000,
        "slowest_ms": timings[-1] * 1000,
    }
    step(
        f"server A killed under load: {figures['requests']} requests, 0 failed, slowest "
        f"{figures['slowest_ms']:.0f} ms (p99 {figures['p99_ms']:.0f} ms); the session and the "
        f"change live on"
    )
    return figures


def ready(site: Site) -> None:
    """Each server reports itself ready: database, shared cache, bucket, and the task worker's
    heartbeat, which the worker writes into the shared cache."""
    deadline = time.monotonic() + 30
    for server in (site.a, site.b):
        while (status := requests.get(f"{server.url}/readyz", timeout=10).status_code) != 200:
            if time.monotonic() > deadline:
                raise DrillFailed(f"{server.name} answers /readyz with {status}")
            time.sleep(1)
    step("both servers ready: database, Redis, the bucket and the task worker's heartbeat")


def walk(site: Site) -> dict[str, float]:
    ready(site)
    visitor = sign_in(site)
    product, public = the_product(visitor, site)
    photo_stored_by_a_served_by_b(visitor, site, product)
    mark = change_on_a_shows_on_b(visitor, site, product, public)
    import_on_the_worker(visitor, site)
    return kill_a_under_load(visitor, site, public, mark)


def main() -> int:
    say("Production drill: PostgreSQL, Redis, S3, a task worker, two app servers, HAProxy")
    started = time.monotonic()
    try:
        with (
            tempfile.TemporaryDirectory(prefix="desadevisa-drill-") as directory,
            production_site(Path(directory)) as site,
        ):
            figures = walk(site)
    except (DrillFailed, services.ServiceError, pgcluster.ClusterError) as error:
        say(f"FAILED: {error}")
        return 1
    say(f"Drill passed in {time.monotonic() - started:.0f} s.")
    say("  " + ", ".join(f"{name} {value:.0f}" for name, value in figures.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
