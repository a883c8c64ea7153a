"""The visit report: a PDF of everything recorded on a verification visit, drawn by WeasyPrint
from a template.

Nothing is fetched from the network while drawing: the only resources the report may name are
its own photos (``visit-photo:<pk>``), read from storage; any other address is refused.
"""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from desadevisa.verification.selectors import VisitRecord

PHOTO_SCHEME = "visit-photo"
STYLESHEET = "verification/visit_report.css"


class ReportFetcher(URLFetcher):
    """Serves the report's photos from storage, by their ``visit-photo:<pk>`` address only."""

    def __init__(self, record: VisitRecord) -> None:
        super().__init__(allowed_protocols=(PHOTO_SCHEME,))
        self._photos = {str(photo.pk): photo for photo in record.photos}

    def fetch(self, url, headers=None):
        scheme, _sep, key = url.partition(":")
        photo = self._photos.get(key) if scheme == PHOTO_SCHEME else None
        if photo is None:
            raise ValueError(f"The report names no such resource: {url}")
        with photo.rendition("card").open("rb") as stored:
            body = stored.read()
        return URLFetcherResponse(url, body, {"Content-Type": "image/jpeg"})


def visit_report_pdf(*, record: VisitRecord) -> bytes:
    """The PDF report of the visit in ``record``, in the active language with Indonesian and
    English headings."""
    html = render_to_string(
        "verification/visit_report.html",
        {"record": record, "visit": record.visit, "generated_at": timezone.now()},
    )
    stylesheet = CSS(filename=finders.find(STYLESHEET))
    document = HTML(string=html, url_fetcher=ReportFetcher(record))
    return document.write_pdf(stylesheets=[stylesheet])
