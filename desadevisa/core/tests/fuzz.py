"""Helpers of the fuzz suite (``test_fuzz.py``): the hostile values, the pages to visit, the
forms read from their HTML, and the requests that post generated values into them."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, quote_plus, urljoin, urlsplit

from django.apps import apps
from django.db import connection
from django.utils import translation

from config.tests.test_permission_matrix import (
    PATTERNS,
    AdminOnly,
    NationalOnly,
    ObjectScoped,
    Public,
    SignedIn,
    SignInStep,
    routes,
    url,
)


@dataclass(frozen=True)
class Raw:
    """A value sent exactly as written in the body or query string, already percent-encoded:
    what no browser would send, such as an unpaired UTF-16 surrogate."""

    encoded: str

    def __repr__(self) -> str:
        return f"Raw({self.encoded!r})"


# The values posted into every field: empty, huge, control and direction characters, numbers
# beyond every column, impossible and extreme dates, and snippets of SQL and HTML.
HOSTILE_VALUES: tuple[str | Raw, ...] = (
    "",
    " ",
    "x" * 100_000,
    "a\x00b",
    "\u202eevil\u202c",
    "\u200f\u05e9\u05dc\u05d5\u05dd",
    "🥁🇮🇩👩🏽‍🎨",
    Raw("%ED%A0%80"),
    Raw("%ED%B0%80x"),
    "1" + "0" * 30,
    "-1",
    "0",
    "2147483648",
    "9223372036854775808",
    "NaN",
    "Infinity",
    "-Infinity",
    "1e400",
    "0001-01-01",
    "9999-12-31",
    "2023-02-30",
    "31/12/2022",
    "' OR 1=1 --",
    "'; DROP TABLE catalog_product; --",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "\r\nBcc: someone@example.com",
    "../../../etc/passwd",
)

# What the fuzz sent in this run, by kind ("pages", "forms", "requests", ...), for its report.
cases: Counter[str] = Counter()

TRACEBACK = re.compile(r"Traceback \(most recent call last\)|File \"/.+\.py\", line \d+")
# Fields that the fuzz leaves alone: the CSRF token (the test client does not check it).
UNFUZZED = frozenset({"csrfmiddlewaretoken"})


@dataclass(frozen=True)
class Page:
    """A page to read as one person: its pattern's name and its address."""

    name: str
    path: str


def pages_for(world, person: str) -> list[Page]:
    """Every page of the permission matrix that ``person`` (a role fixture's name, or
    "anonymous") may be shown, in its Jawa Timur form for object pages, under ``/id/``."""
    found = []
    for route in routes():
        access = PATTERNS.get(route.name) if route.name else None
        if access is None or isinstance(access, SignInStep | AdminOnly):
            continue
        if person == "anonymous" and not isinstance(access, Public):
            continue
        if isinstance(access, Public):
            path = url(route.name, **access.kwargs)
        elif isinstance(access, SignedIn | NationalOnly):
            path = url(route.name)
        elif isinstance(access, ObjectScoped):
            if person not in access.readers:
                continue
            path = url(route.name, **access.kwargs(world, world.jawa_timur))
        else:
            continue
        found.append(Page(route.name, _in_indonesian(path)))
    return found


def _in_indonesian(path: str) -> str:
    return re.sub(r"^/en/", "/id/", path)


# Forms as the HTML shows them -----------------------------------------------------------------


@dataclass
class Form:
    """A form of a page: where and how it is sent, and each field with the value the page
    gives it (the first option of a list without a chosen one)."""

    method: str
    action: str
    multipart: bool
    fields: list[tuple[str, str]] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    submit: tuple[str, str] | None = None

    @property
    def names(self) -> list[str]:
        return list(dict.fromkeys(name for name, _value in self.fields if name not in UNFUZZED))

    def signature(self) -> tuple:
        return (self.method, urlsplit(self.action).path, tuple(self.names))


class _FormParser(HTMLParser):
    def __init__(self, page_path: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_path = page_path
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: tuple[str, bool] | None = None
        self._options: list[tuple[str, bool]] = []
        self._option_text: list[str] | None = None
        self._textarea: str | None = None
        self._text: list[str] = []
        self._radios: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            self._form = Form(
                method=(a.get("method") or "get").lower(),
                action=urljoin(self.page_path, a.get("action") or self.page_path),
                multipart="multipart" in a.get("enctype", ""),
            )
            self._radios = {}
            return
        form = self._form
        if form is None:
            return
        name = a.get("name", "")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind == "file":
                form.files.append(name)
            elif kind in ("submit", "image", "button"):
                if form.submit is None and kind == "submit":
                    form.submit = (name, a.get("value", ""))
            elif kind == "checkbox":
                if "checked" in a:
                    form.fields.append((name, a.get("value", "on")))
            elif kind == "radio":
                if "checked" in a or name not in self._radios:
                    self._radios[name] = a.get("value", "on")
            else:
                form.fields.append((name, a.get("value", "")))
        elif tag == "button" and name and a.get("type", "submit") == "submit":
            if form.submit is None:
                form.submit = (name, a.get("value", ""))
        elif tag == "select" and name:
            self._select = (name, "multiple" in a)
            self._options = []
        elif tag == "option" and self._select is not None:
            self._options.append((a.get("value"), "selected" in a))
            self._option_text = [] if "value" not in a else None
        elif tag == "textarea" and name:
            self._textarea = name
            self._text = []

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)
        if self._option_text is not None:
            self._option_text.append(data)

    def handle_endtag(self, tag: str) -> None:
        form = self._form
        if form is None:
            return
        if tag == "option" and self._option_text is not None and self._options:
            chosen = self._options[-1][1]
            self._options[-1] = ("".join(self._option_text).strip(), chosen)
            self._option_text = None
        elif tag == "select" and self._select is not None:
            name, multiple = self._select
            chosen = [value for value, selected in self._options if selected]
            if not chosen and not multiple and self._options:
                chosen = [self._options[0][0]]
            form.fields.extend((name, value or "") for value in chosen)
            if not chosen:
                form.fields.append((name, ""))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            form.fields.append((self._textarea, "".join(self._text).lstrip("\n")))
            self._textarea = None
        elif tag == "form":
            form.fields.extend(self._radios.items())
            self.forms.append(form)
            self._form = None


def forms_of(html: str, page_path: str) -> list[Form]:
    """The forms of a page's HTML that are sent to this site."""
    parser = _FormParser(page_path)
    parser.feed(html)
    return [form for form in parser.forms if not urlsplit(form.action).netloc]


# Query parameters any page may read, besides those its forms and links name.
QUERY_NAMES = ("q", "page", "sort", "export", "filter", "next", "code", "cycle", "province")


class _LinkParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href and "?" in href:
            self.hrefs.append(href)


def query_form(html: str, page_path: str) -> Form:
    """The page's own address as a GET form of every query parameter that its links to
    itself name, and of ``QUERY_NAMES``."""
    parser = _LinkParser()
    parser.feed(html)
    names = dict.fromkeys(QUERY_NAMES)
    for href in parser.hrefs:
        link = urlsplit(urljoin(page_path, href))
        if link.path == page_path and not link.netloc:
            names.update(dict.fromkeys(name for name, _value in parse_qsl(link.query)))
    return Form(method="get", action=page_path, multipart=False, fields=[(n, "") for n in names])


# Requests -------------------------------------------------------------------------------------


def encoded(pairs: list[tuple[str, str | Raw]]) -> str:
    """``pairs`` as a form body or query string, ``Raw`` values as they are."""
    return "&".join(
        f"{quote_plus(name)}={value.encoded if isinstance(value, Raw) else quote_plus(value)}"
        for name, value in pairs
    )


def filled(form: Form, values: dict[str, str | Raw]) -> list[tuple[str, str | Raw]]:
    """The form's fields with ``values`` in place of the page's, once per field name."""
    pairs: list[tuple[str, str | Raw]] = []
    done: set[str] = set()
    for name, value in form.fields:
        if name in values:
            if name not in done:
                pairs.append((name, values[name]))
                done.add(name)
        else:
            pairs.append((name, value))
    if form.submit is not None:
        pairs.append(form.submit)
    return pairs


@dataclass(frozen=True)
class Sent:
    """A request as the fuzz sent it, written so that it can be replayed by hand."""

    person: str
    method: str
    path: str
    body: str

    def __str__(self) -> str:
        body = self.body if len(self.body) < 300 else self.body[:300] + "…"
        return f"{self.person}: {self.method.upper()} {self.path} {body}"


def send(client, form: Form, values: dict[str, str | Raw], person: str):
    """Send ``form`` with ``values`` in place of the page's; the response and the request."""
    pairs = filled(form, values)
    path = urlsplit(form.action).path
    if form.method == "get":
        query = encoded(pairs)
        return client.get(f"{path}?{query}"), Sent(person, "get", path, query)
    if form.multipart:
        data: dict[str, list[str]] = {}
        for name, value in pairs:
            # The multipart encoder of the test client writes text only; a surrogate is
            # sent as the replacement character a browser would send.
            text = "\ufffd" if isinstance(value, Raw) else value
            data.setdefault(name, []).append(text)
        return client.post(path, data), Sent(person, "post", path, repr(data))
    body = encoded(pairs)
    response = client.post(path, body, content_type="application/x-www-form-urlencoded")
    return response, Sent(person, "post", path, body)


def domain_row_counts() -> tuple[int, ...]:
    """Rows of every table of the product but the audit trail (which records refusals), in
    one query."""
    tables = sorted(
        connection.ops.quote_name(model._meta.db_table)
        for model in apps.get_models()
        if model.__module__.startswith("desadevisa.")
        and model._meta.managed
        and not model._meta.proxy
        and model._meta.label != "audit.AuditEvent"
    )
    # Table names from the models, quoted by the database backend; no input reaches them.
    counts = ", ".join(f"(SELECT COUNT(*) FROM {table})" for table in tables)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        return tuple(cursor.fetchone())


def problems(response) -> Iterator[str]:
    """What is wrong with a response: a server error or a traceback shown."""
    if response.status_code >= 500:
        yield f"answered {response.status_code}"
    if not getattr(response, "streaming", False):
        with translation.override("en"):
            text = response.content.decode(errors="replace")
        if TRACEBACK.search(text):
            yield "shows a traceback"
