"""The API's request body parsers: DRF's, made strict where theirs let a broken body through.

- JSON nested deeper than Python's recursion limit is a 400, not a ``RecursionError``.
- A multipart body must end with its closing boundary (``--boundary--``, RFC 2046 5.1.1).
  Django's parser accepts a body cut off in the middle of a part and hands on what it
  read, so a truncated upload would create a record from half a form.
"""

from django.utils.http import parse_header_parameters
from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - the document is nested too deeply.") from None


class _TailKeepingStream:
    """A stream that remembers the last ``keep`` bytes read from it."""

    def __init__(self, stream, keep):
        self.stream = stream
        self.keep = keep
        self.tail = b""

    def read(self, *args):
        chunk = self.stream.read(*args)
        self.tail = (self.tail + chunk)[-self.keep :]
        return chunk


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        boundary = parse_header_parameters(media_type or "")[1].get("boundary", "").encode("ascii", "replace")
        if not boundary:
            return super().parse(stream, media_type, parser_context)  # Django's own "invalid boundary" 400.
        close_delimiter = b"--" + boundary + b"--"
        recorder = _TailKeepingStream(stream, keep=len(close_delimiter) + 64)
        result = super().parse(recorder, media_type, parser_context)
        if not recorder.tail.rstrip(b" \t\r\n").endswith(close_delimiter):
            raise ParseError("Multipart form parse error - the body ends before its closing boundary.")
        return result
