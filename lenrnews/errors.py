"""Django's error views (``handler400``, ``handler500`` in the root URLconf): JSON under /api/, pages elsewhere.

``server_error`` answers whatever escaped a view or a middleware. A database that is
down, refuses connections or times out (``OperationalError``, ``InterfaceError``) is
not a bug of ours: that answer is a 503 with ``Retry-After``, ``templates/503.html`` on
the site. Pages already in the page cache never reach the database and keep being
served. With ``DEBUG`` on, Django shows its debug page instead, as for any error.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.views import defaults

from lenrnews.api_errors import is_api_request, json_error

RETRY_AFTER_SECONDS = 30
DATABASE_ERRORS = (OperationalError, InterfaceError)


def bad_request(request, exception):
    if is_api_request(request):
        return json_error(400, "Bad request.")
    return defaults.bad_request(request, exception)


def server_error(request):
    # Django calls this while it handles the exception, so the exception is at hand.
    if isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        return database_unavailable(request)
    if is_api_request(request):
        return json_error(500, "Server error. It has been logged; please try again later.")
    return defaults.server_error(request)


def database_unavailable(request):
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"}
    if is_api_request(request):
        return json_error(503, "The database is unavailable. Please try again shortly.", headers)
    # Like 500.html: rendered without a request, so nothing in it can reach the database.
    return HttpResponse(loader.get_template("503.html").render(), status=503, headers=headers)
