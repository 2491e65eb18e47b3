"""Helpers for the tests of the admin's CSV import (lenrnews.admin.SpreadsheetImportAdmin) and exports."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse


def import_url(app_label, model_name):
    return reverse(f"admin:{app_label}_{model_name}_import")


def csv_bytes(rows, encoding="utf-8"):
    out = io.StringIO(newline="")
    csv.writer(out).writerows(rows)
    return out.getvalue().encode(encoding)


def preview(client, url, data, name="records.csv"):
    """Upload a file for the dry run: the response shows every row, and nothing is saved yet."""
    return client.post(url, {"file": SimpleUploadedFile(name, data, content_type="text/csv")})


def confirm(client, url, previewed):
    """Confirm the import the preview offered (its signed copy of the file)."""
    return client.post(url, {"payload": previewed.context["payload"]})


def rows_of(response):
    """The preview's rows as (line, action, record, changes, errors)."""
    return [(row.line, row.action, row.record, row.changes, row.errors) for row in response.context["result"].rows]


def export(client, changelist_url, action, pks):
    """Run an export action of a list on the rows ``pks``."""
    return client.post(changelist_url, {"action": action, "_selected_action": [str(pk) for pk in pks]})


def read_csv_response(response):
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline="")))
