"""Revision history in the admin: django-simple-history's History page, long texts as word diffs.

simple-history shortens a changed value of more than 100 characters to the few
characters around the change ("[350 chars]"), so an edited paragraph says nothing.
``HistoryAdmin`` (the base of every admin that keeps revisions) shows such a change as
the words taken out (``<del>``) and put in (``<ins>``), with a few words around each.
"""

import difflib
import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from lenrnews.partial_dates import PartialDatesAdmin
from lenrnews.stale_edits import RefuseStaleSavesAdmin

CONTEXT_WORDS = 8  # unchanged words kept on each side of a change
_WORD = re.compile(r"\s+|\S+\s*")  # a word with the spaces after it (or the spaces a text starts with)


def _kept(tokens: list[str], *, head: bool, tail: bool) -> str:
    """An unchanged stretch: whole when short, else the words next to the changes around an ellipsis."""
    n = CONTEXT_WORDS
    if len(tokens) <= (n if head or tail else 2 * n) + 1:
        return escape("".join(tokens))
    before = "" if head else escape("".join(tokens[:n]))
    after = "" if tail else escape("".join(tokens[-n:]))
    return f'{before}<span class="diff-elided">… </span>{after}'


def word_diff_html(old: str, new: str) -> SafeString:
    """The change from ``old`` to ``new`` word by word, HTML-escaped, with <del> and <ins>."""
    a, b = _WORD.findall(old), _WORD.findall(new)
    opcodes = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    parts = []
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            parts.append(_kept(a[i1:i2], head=index == 0, tail=index == len(opcodes) - 1))
            continue
        if i2 > i1:
            parts.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if j2 > j1:
            parts.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return mark_safe("".join(parts))  # every piece of text above is escaped


class WordDiffContextHelper(HistoricalRecordContextHelper):
    """A change of text too long to show whole gets a ``diff``: its word diff."""

    def context_for_delta_changes(self, delta):
        context = super().context_for_delta_changes(delta)
        for item, change in zip(context, delta.changes, strict=True):
            values = (change.old, change.new)
            if all(value is None or isinstance(value, str) for value in values):
                old, new = (value or "" for value in values)
                if max(len(old), len(new)) > self.max_displayed_delta_change_chars:
                    item["diff"] = word_diff_html(old, new)
        return context


class HistoryAdmin(RefuseStaleSavesAdmin, PartialDatesAdmin, SimpleHistoryAdmin):
    """SimpleHistoryAdmin whose History page shows long texts' changes word by word.

    Its forms take partial dates as people write them ("2015", "2015-05"), and its change
    forms refuse a save over a change made since they were opened (``lenrnews.stale_edits``),
    as every admin of records that keep revisions does.
    """

    object_history_template = "simple_history/word_diff_history.html"
    object_history_list_template = "simple_history/word_diff_history_list.html"

    def get_historical_record_context_helper(self, request, historical_record):
        return WordDiffContextHelper(self.model, historical_record)
