"""The API's exception handler (REST_FRAMEWORK's ``EXCEPTION_HANDLER``): every error answers JSON.

DRF answers its own exceptions (400, 401, 403, 404, 405, 409, 429) with ``{"detail": ...}``
or field errors, and leaves any other exception to Django, which answers HTML. This
handler takes over the ones a client causes: a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE``
is a 413 and any other ``SuspiciousOperation`` (too many fields or files) a 400, logged
to ``django.security`` as Django would. What is left (a bug: 500; the database down:
503) reaches the root URLconf's ``handler500`` (``lenrnews/errors.py``), which answers
JSON under /api/ too.
"""

import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import JsonResponse
from rest_framework import exceptions, status, views

API_PREFIX = "/api/"


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "payload_too_large"

    def __init__(self):
        super().__init__(f"The request body is larger than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes.")


def exception_handler(exc, context):
    if isinstance(exc, SuspiciousOperation):
        logging.getLogger(f"django.security.{type(exc).__name__}").error(str(exc))
        exc = PayloadTooLarge() if isinstance(exc, RequestDataTooBig) else exceptions.ParseError(str(exc))
    return views.exception_handler(exc, context)


def is_api_request(request):
    return request.path.startswith(API_PREFIX)


def json_error(status_code, detail, headers=None):
    """An error body in the API's shape, for answers given outside DRF's views."""
    return JsonResponse({"detail": detail}, status=status_code, headers=headers)
