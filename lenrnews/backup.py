"""The backup format: Django's JSON fixtures, without losing a microsecond (``export_data``, ``import_data``).

A backup is what ``dumpdata --natural-foreign`` writes, with three choices made once
here: which tables stay out (:data:`EXCLUDED`); timestamps written whole (Django's JSON
encoder cuts them to milliseconds, and a restore should give back the very rows it was
given); and a revision that points to a row deleted since keeps that id. The file is
plain Django JSON: ``loaddata`` reads it as any fixture.

Rows keep their ids (the API names sources, stakes and affiliations by id, and revisions
refer to rows by id). Only the rows that ``migrate`` makes in every database (content
types, permissions, the roles' groups), and the accounts, are referred to by natural key.
"""

import datetime

from django.core.exceptions import ObjectDoesNotExist
from django.core.serializers import json as django_json
from django.core.serializers.json import DjangoJSONEncoder

FORMAT = "lenrnews-backup"

# Not in a backup, and why.
EXCLUDED = {
    # Made by `migrate` in every database. Rows that point to them name them by natural key
    # (app and model; codename and model), so they match whatever ids the new database gave them.
    "contenttypes.ContentType": "made by migrate",
    "auth.Permission": "made by migrate",
    # Signed-in sessions: a restore signs everyone out rather than reviving old cookies.
    "sessions.Session": "sign-ins, not data",
    # The login lockout's live counters (the log of logins and failures is kept).
    "axes.AccessAttempt": "live lockout counters",
    "axes.AccessAttemptExpiration": "live lockout counters",
}


class LosslessJSONEncoder(DjangoJSONEncoder):
    """Django's encoder, but times keep their microseconds."""

    def default(self, o):
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        if isinstance(o, datetime.time):
            return o.isoformat()
        return super().default(o)


class Serializer(django_json.Serializer):
    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = LosslessJSONEncoder

    def handle_fk_field(self, obj, field):
        try:
            super().handle_fk_field(obj, field)
        except ObjectDoesNotExist:
            # A revision keeps the id of what it pointed to, which may have been deleted since
            # (an article's author who left): there is no natural key to write, so keep the id.
            self._current[field.name] = field.value_from_object(obj)


Deserializer = django_json.Deserializer
