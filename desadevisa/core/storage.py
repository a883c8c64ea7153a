"""Stored files whatever holds them: the local disk, or an S3-compatible bucket.

Code reaches files only through Django's storage API (``open``, ``save``, ``delete``,
``exists``, ``size``), never a local path, so the same code runs on both. ``STORAGE_ERRORS`` are
what the bucket's client raises when the bucket does not answer or refuses a request;
``StorageUnavailableMiddleware`` turns them into a 503 page asking to try again, and the
services that store files remove what they stored when their transaction does not commit.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from botocore.exceptions import BotoCoreError, ClientError
from django.db.models.fields.files import FieldFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

logger = logging.getLogger(__name__)

STORAGE_ERRORS = (BotoCoreError, ClientError)
MISSING_OBJECT_CODES = frozenset({"404", "NoSuchKey", "NotFound"})
# Seconds a person is asked to wait before trying again.
RETRY_AFTER_SECONDS = 300


def stored_file_open(file: FieldFile) -> FieldFile:
    """``file`` opened for reading; Http404 when its stored object is missing."""
    try:
        return file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in MISSING_OBJECT_CODES:
            raise Http404 from None
        raise


class StorageUnavailableMiddleware:
    """Answer 503, in the visitor's language, when file storage fails a request.

    Nothing is half-written: the failing service's transaction rolls back and the files it had
    stored are deleted (``core.uploads`` callers), so trying again later is safe.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, STORAGE_ERRORS):
            return None
        logger.error("File storage does not answer: %s", exception)
        context = {"request_id": getattr(request, "request_id", "")}
        response = render(request, "503_storage.html", context, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
