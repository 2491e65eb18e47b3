"""Every API list as CSV (``?format=csv`` or ``Accept: text/csv``), streamed.

The rows are the list's, with its filters and order, read from the database in chunks
(``iterator``, prefetches included) and written one at a time, so a list of 100,000
rows never sits in memory. The columns are the serializer's fields, flattened: a
related entity is its slug, a list of them its slugs joined by "; ", a cited source its
id, a nested object (a deal's parties) a compact text. The first row names the columns.
"""

import csv
import datetime
from decimal import Decimal

from django.http import StreamingHttpResponse
from rest_framework.renderers import BaseRenderer

CHUNK = 500


class CSVRenderer(BaseRenderer):
    """Declares ``text/csv`` for content negotiation; lists stream their rows themselves (see ``stream_csv``)."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        # Reached only for responses that are not a streamed list: an error, or one record.
        rows = data if isinstance(data, list) else [data]
        if rows and all(isinstance(row, dict) for row in rows):
            columns = list(dict.fromkeys(key for row in rows for key in row))
            return "".join(_lines(columns, ([flat(row.get(c)) for c in columns] for row in rows))).encode()
        return str(data).encode()


class _Echo:
    def write(self, value):
        return value


def _lines(columns, rows):
    writer = csv.writer(_Echo())
    yield writer.writerow(columns)
    for row in rows:
        yield writer.writerow(row)


def flat(value):
    """One cell: a slug for a related entity, '; '-joined values for a list, ISO dates, plain numbers."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        for key in ("slug", "id"):
            if key in value:
                return str(value[key])
        return ", ".join(f"{k}={flat(v)}" for k, v in value.items() if v not in (None, "", False))
    if isinstance(value, list | tuple):
        # Rows of an object list (a deal's parties) are told apart by " | ", simple values by "; ".
        separator = " | " if any(isinstance(item, dict) and not {"slug", "id"} & set(item) for item in value) else "; "
        return separator.join(flat(item) for item in value)
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value}"
    return str(value)


def wants_csv(request) -> bool:
    renderer = getattr(request, "accepted_renderer", None)
    return getattr(renderer, "format", None) == "csv"


def stream_csv(view, queryset, filename):
    """A streamed CSV of ``queryset`` as ``view``'s serializer reads each row."""
    serializer_class = view.get_serializer_class()
    context = view.get_serializer_context()
    columns = list(serializer_class(context=context).fields)

    def rows():
        for obj in queryset.iterator(chunk_size=CHUNK):
            data = serializer_class(obj, context=context).data
            yield [flat(data.get(column)) for column in columns]

    response = StreamingHttpResponse(_lines(columns, rows()), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response
