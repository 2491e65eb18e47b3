"""The API's page-number pagination."""

from rest_framework import exceptions, pagination

MAX_PAGE_SIZE = 100
# The largest page number worth parsing; beyond it no list has rows.
MAX_PAGE_NUMBER = 10**9


def _positive_int(request, name, maximum):
    """The query parameter ``name`` as an integer in 1..maximum, None when absent, else a 400 naming it."""
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or not 1 <= value <= maximum:
        raise exceptions.ValidationError({name: [f"Enter a whole number from 1 to {maximum}."]})
    return value


class PageNumberPagination(pagination.PageNumberPagination):
    """``page`` and ``page_size`` (at most 100); a value that doesn't parse is a 400, a page past the end a 404."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def paginate_queryset(self, queryset, request, view=None):
        if request.query_params.get(self.page_query_param) not in self.last_page_strings:
            _positive_int(request, self.page_query_param, MAX_PAGE_NUMBER)
        _positive_int(request, self.page_size_query_param, self.max_page_size)
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "A page number (from 1). A page past the end is a 404.",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_NUMBER},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Rows per page, {self.page_size} by default, at most {self.max_page_size}.",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]
