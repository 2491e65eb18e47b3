"""Spreadsheets in and out: CSV import with a dry run that shows every row, CSV and XLSX export.

A ``Resource`` says which columns a model's spreadsheet has and how each cell is read
and written; the apps declare theirs (``organizations/resources.py``,
``investments/resources.py``). ``read_csv`` turns the bytes of an upload into rows, or
refuses the file with a message that says what is wrong with it (its encoding, its
columns, its size). ``run_import`` applies the rows in one transaction, a savepoint per
row, and keeps nothing unless asked to and every row is right: the dry run and the real
import are the same code, so the preview shows exactly what the import will do.

Records are matched by slug, then name, then alias (case-insensitively), and so are the
records a cell names (an organization's parent, a technology's inventors, a deal's
parties): several names in a cell are separated by ``;``.

Django 6.1 is newer than any django-import-export release (its 5.0, not released yet,
is the first to support Django 6), so this is the small part of it the newsroom needs.
"""

import csv
import datetime
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.text import slugify
from django_countries import countries
from django_countries.fields import CountryField
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

# A cell a spreadsheet program would run as a formula; written with a leading apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = ";"


class FileProblem(ValueError):
    """The file as a whole cannot be imported; the message says why and what to do."""


class CellError(ValueError):
    """One cell cannot be read; the message says why."""


class Keep:
    """An empty cell in a column whose field cannot be empty: the record keeps its value (a new one the default)."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP = Keep()


def size_display(size: int) -> str:
    for unit, factor in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if size >= factor:
            return f"{size / factor:.1f} {unit}"
    return f"{size} bytes"


def header_key(text: str) -> str:
    """'Date precision ' -> 'date_precision': how a header is compared."""
    return "_".join(text.strip().lower().replace("-", " ").split())


def unquote_formula(text: str) -> str:
    """A cell our export protected from spreadsheet formulas ('=x written as ''=x) reads as it was."""
    return text[1:] if text.startswith("'") and text[1:2] in FORMULA_STARTS and text[1:2] else text


def split_list(text: str) -> list[str]:
    return [part.strip() for part in text.replace("\n", LIST_SEPARATOR).split(LIST_SEPARATOR) if part.strip()]


# --- Finding records by slug, name or alias -----------------------------------------------


def find_records(queryset: models.QuerySet, text: str, *, name_field: str = "name") -> list[models.Model]:
    """The records ``text`` names: by slug, else by name, else by alias, each case-insensitively."""
    text = text.strip()
    if not text:
        return []
    model = queryset.model
    by_slug = list(queryset.filter(slug__iexact=text)[:2])
    if by_slug:
        return by_slug
    by_name = list(queryset.filter(**{f"{name_field}__iexact": text}).order_by("pk")[:5])
    if by_name:
        return by_name
    if any(f.name == "aliases" for f in model._meta.get_fields()):
        wanted = text.casefold()
        return [
            record
            for record in queryset.filter(aliases__icontains=text).order_by("pk")[:50]
            if wanted in {line.strip().casefold() for line in (record.aliases or "").splitlines()}
        ]
    return []


def one_record(queryset: models.QuerySet, text: str, *, what: str, name_field: str = "name") -> models.Model:
    found = find_records(queryset, text, name_field=name_field)
    if not found:
        raise CellError(f"no {what} is called “{text}” (by slug, name or alias)")
    if len(found) > 1:
        listed = ", ".join(f"{record} ({record.slug})" for record in found)  # type: ignore[attr-defined]
        raise CellError(f"“{text}” names several {what}s: {listed}; give the slug")
    return found[0]


# --- Columns --------------------------------------------------------------------------------


class Column:
    """A model field as a column: how a cell is read (``parse``), compared, applied and written.

    An empty cell clears a field that may be empty; in a field that may not, it keeps the
    record's value (the default for a new record).
    """

    after_save = False  # many-to-many values are set once the record has its id

    def __init__(self, field_name: str, header: str | None = None, *, help: str = "") -> None:
        self.field_name = field_name
        self.header = header or field_name
        self.help = help
        self.field: Any = None

    def bind(self, model: type[models.Model]) -> None:
        self.field = model._meta.get_field(self.field_name)
        if not self.help:
            self.help = str(getattr(self.field, "help_text", "") or "")

    @property
    def may_be_empty(self) -> bool:
        return bool(self.field.blank or self.field.null)

    def empty(self) -> Any:
        if not self.may_be_empty:
            return KEEP
        return None if self.field.null else ""

    def parse(self, text: str) -> Any:
        text = unquote_formula(text.strip())
        if not text:
            return self.empty()
        field_ = self.field
        if isinstance(field_, CountryField):
            code = countries.alpha2(text) or countries.by_name(text)
            if not code:
                raise CellError(f"“{text}” is not a country (give its two-letter ISO code, e.g. US, or its name)")
            return code
        if field_.choices:
            return self.parse_choice(text)
        if isinstance(field_, models.SlugField):
            return text.lower()  # slugs are compared case-insensitively and kept in lower case
        if isinstance(field_, models.IntegerField):
            try:
                number = Decimal(text.replace(",", ""))
            except InvalidOperation:
                raise CellError(f"“{text}” is not a whole number") from None
            if number != number.to_integral_value():
                raise CellError(f"“{text}” is not a whole number")
            return int(number)
        if isinstance(field_, models.DecimalField):
            try:
                return Decimal(text.replace(",", "").replace(" ", "").removeprefix("$"))
            except InvalidOperation:
                raise CellError(f"“{text}” is not a number") from None
        if isinstance(field_, models.DateField):
            try:
                return datetime.date.fromisoformat(text)
            except ValueError:
                raise CellError(f"“{text}” is not a date (write it 2015-10-20)") from None
        return text

    def parse_choice(self, text: str) -> str:
        wanted = text.casefold()
        for value, label in self.field.flatchoices:
            if wanted in (str(value).casefold(), str(label).casefold()):
                return value
        values = ", ".join(str(value) for value, _ in self.field.flatchoices)
        raise CellError(f"“{text}” is not one of: {values}")

    def get(self, obj: models.Model) -> Any:
        return getattr(obj, self.field.attname)

    def set(self, obj: models.Model, value: Any) -> None:
        setattr(obj, self.field.attname, value)

    def set_related(self, obj: models.Model, value: Any) -> None:
        pass

    def same(self, before: Any, after: Any) -> bool:
        return (before if before is not None else "") == (after if after is not None else "")

    def show(self, value: Any) -> str:
        """A value as the preview shows it."""
        if value is None or value == "":
            return "(empty)"
        return str(value)

    def export(self, obj: models.Model) -> Any:
        """The cell's value: a string, a number or a date (the CSV writes them as text)."""
        value = self.get(obj)
        return "" if value is None else value


class AliasesColumn(Column):
    """Aliases (one a line in the database) as one cell, separated by ';'."""

    def __init__(self, field_name: str = "aliases", header: str | None = None, *, help: str = "") -> None:
        super().__init__(
            field_name, header, help=help or "Other names, separated by ';' (e.g. IH; Industrial Heat LLC)."
        )

    def parse(self, text: str) -> str:
        return "\n".join(split_list(unquote_formula(text)))

    def get(self, obj: models.Model) -> str:
        return "\n".join(split_list(getattr(obj, self.field_name) or ""))

    def show(self, value: Any) -> str:
        return "; ".join(split_list(value or "")) or "(empty)"

    def export(self, obj: models.Model) -> str:
        return "; ".join(split_list(getattr(obj, self.field_name) or ""))


class RelatedColumn(Column):
    """A foreign key, named by the related record's slug, name or alias."""

    def __init__(self, field_name: str, header: str | None = None, *, what: str, help: str = "") -> None:
        super().__init__(field_name, header, help=help)
        self.what = what

    def parse(self, text: str) -> Any:
        text = unquote_formula(text.strip())
        if not text:
            return self.empty()
        return one_record(self.field.related_model._default_manager.all(), text, what=self.what)

    def get(self, obj: models.Model) -> Any:
        return getattr(obj, self.field_name)

    def set(self, obj: models.Model, value: Any) -> None:
        setattr(obj, self.field_name, value)

    def same(self, before: Any, after: Any) -> bool:
        return getattr(before, "pk", None) == getattr(after, "pk", None)

    def export(self, obj: models.Model) -> str:
        related = self.get(obj)
        return related.slug if related is not None else ""


class ManyColumn(Column):
    """A many-to-many relation: the related records' slugs, names or aliases, separated by ';'."""

    after_save = True

    def __init__(self, field_name: str, header: str | None = None, *, what: str, help: str = "") -> None:
        super().__init__(field_name, header, help=help)
        self.what = what

    @property
    def may_be_empty(self) -> bool:
        return True

    def parse(self, text: str) -> list[models.Model]:
        records: list[models.Model] = []
        errors = []
        for name in split_list(unquote_formula(text)):
            try:
                record = one_record(self.field.related_model._default_manager.all(), name, what=self.what)
            except CellError as error:
                errors.append(str(error))
                continue
            if record not in records:
                records.append(record)
        if errors:
            raise CellError("; ".join(errors))
        return records

    def get(self, obj: models.Model) -> list[models.Model]:
        return list(getattr(obj, self.field_name).all()) if obj.pk else []

    def set(self, obj: models.Model, value: Any) -> None:
        pass

    def set_related(self, obj: models.Model, value: Any) -> None:
        getattr(obj, self.field_name).set(value)

    def same(self, before: Any, after: Any) -> bool:
        return {record.pk for record in before} == {record.pk for record in after}

    def show(self, value: Any) -> str:
        return "; ".join(str(record) for record in value) or "(none)"

    def export(self, obj: models.Model) -> str:
        return "; ".join(record.slug for record in getattr(obj, self.field_name).all())


# --- Resources ------------------------------------------------------------------------------


class Resource:
    """A model's spreadsheet: its columns, how its rows find their records, and how they are checked."""

    model: ClassVar[type[models.Model]]
    columns: ClassVar[Sequence[Column]] = ()
    name_field: ClassVar[str] = "name"  # required in every file, with the slug the way rows find records
    change_reason: ClassVar[str] = "Imported from a CSV file"

    def __init__(self) -> None:
        for column in self.columns:
            if column.field is None:
                column.bind(self.model)

    @property
    def what(self) -> str:
        return str(self.model._meta.verbose_name)

    def column_map(self) -> dict[str, Column]:
        return {header_key(column.header): column for column in self.columns}

    def export_queryset(self, queryset: models.QuerySet) -> models.QuerySet:
        return queryset

    def find(self, cells: dict[str, str]) -> tuple[models.Model | None, bool]:
        """The record a row is about, and whether it was found by its name (or an alias) rather than its slug.

        By its slug, else its name or an alias, else the slug its name makes.
        """
        slug = cells.get("slug", "").strip()
        name = cells.get(self.name_field, "").strip()
        if slug:
            found = self.model._base_manager.filter(slug__iexact=slug).first()
        elif not name:
            return None, False
        else:
            matches = find_records(self.model._default_manager.all(), name, name_field=self.name_field)
            if len(matches) > 1:
                listed = ", ".join(f"{record} ({record.slug})" for record in matches)  # type: ignore[attr-defined]
                raise CellError(f"“{name}” names several {self.what}s: {listed}; add a slug column")
            found = matches[0] if matches else self.model._base_manager.filter(slug=slugify(name)).first()
        if found is not None and getattr(found, "deleted_at", None) is not None:
            # A record in the trash still holds its slug: restore it before changing it.
            raise CellError(f"the {self.what} “{found}” ({found.slug}) is in the trash: restore it first")  # type: ignore[attr-defined]
        return found, not slug

    def new(self) -> models.Model:
        return self.model()

    def prepare(self, obj: models.Model) -> None:
        """Before the checks: a new record's slug made from its name, as its ``save()`` would."""
        if not getattr(obj, "slug", "x"):
            max_length = obj._meta.get_field("slug").max_length or 50  # type: ignore[union-attr]
            obj.slug = slugify(getattr(obj, self.name_field) or "")[:max_length]  # type: ignore[attr-defined]

    def extra_errors(self, obj: models.Model, values: dict[str, Any]) -> dict[str, str]:
        """Rules over the values about to be saved that the model's own checks cannot see (m2m)."""
        return {}


# --- Reading the file -----------------------------------------------------------------------


@dataclass
class Table:
    name: str
    text: str
    headers: list[str]  # header keys, in the file's order
    rows: list[tuple[int, list[str]]]  # (line number, cells)


def decode_csv(data: bytes, name: str) -> str:
    """The text of a CSV file saved as UTF-8 (with or without Excel's byte-order mark), or FileProblem."""
    if not data.strip():
        raise FileProblem(f"{name} is empty.")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4]:
        raise FileProblem(
            f"{name} is UTF-16 text (what Excel calls “Unicode Text”), not UTF-8. Save it again as "
            "“CSV UTF-8 (Comma delimited)”."
        )
    if data.startswith(b"PK\x03\x04"):
        raise FileProblem(f"{name} is a spreadsheet workbook (or a zip archive), not CSV. Save it as “CSV UTF-8”.")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileProblem(f"{name} is an Excel 97-2003 workbook, not CSV. Save it as “CSV UTF-8”.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise FileProblem(
            f"{name} is not UTF-8 text: line {line} has the byte 0x{data[error.start]:02X}, which UTF-8 does not use "
            "that way (the file is probably Latin-1 or Windows-1252). Save it again as “CSV UTF-8 (Comma delimited)”."
        ) from None
    if "\x00" in text:
        raise FileProblem(f"{name} holds binary data, not text: is it really a CSV file?")
    return text


def read_csv(data: bytes, name: str, resource: Resource) -> Table:
    """The rows of an uploaded CSV file, its columns checked against ``resource``; FileProblem if it cannot be read."""
    limit = settings.SPREADSHEET_IMPORT_MAX_BYTES
    if len(data) > limit:
        raise FileProblem(
            f"{name} is {size_display(len(data))}; an import takes at most {size_display(limit)} "
            "(setting SPREADSHEET_IMPORT_MAX_BYTES). Split it into smaller files."
        )
    text = decode_csv(data, name)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        lines = [(reader.line_num, cells) for cells in reader]
    except csv.Error as error:
        raise FileProblem(f"{name} is not valid CSV near line {reader.line_num}: {error}.") from None
    if not lines:
        raise FileProblem(f"{name} is empty.")
    _, header_cells = lines[0]
    headers = [header_key(cell) for cell in header_cells]
    known = resource.column_map()
    columns_listed = ", ".join(column.header for column in resource.columns)
    data_rows = [(number, cells) for number, cells in lines[1:] if any(cell.strip() for cell in cells)]
    # An empty header over an empty column (a spreadsheet's trailing comma) is no column.
    for index in range(len(headers) - 1, -1, -1):
        if not headers[index] and all(index >= len(cells) or not cells[index].strip() for _, cells in data_rows):
            del headers[index]
            data_rows = [(number, cells[:index] + cells[index + 1 :]) for number, cells in data_rows]
    if len(headers) == 1 and any(sep in header_cells[0] for sep in (";", "\t")):
        raise FileProblem(
            f"{name} separates its columns with semicolons or tabs; this import reads commas. Save it as "
            "“CSV UTF-8 (Comma delimited)”."
        )
    unknown = [cell.strip() for cell, key in zip(header_cells, headers, strict=False) if key and key not in known]
    problems = []
    if unknown:
        problems.append(f"columns this import does not know: {', '.join(f'“{c}”' for c in unknown)}")
    if resource.name_field not in headers:
        problems.append(f"no “{resource.name_field}” column")
    if problems:
        raise FileProblem(
            f"{name} has {' and '.join(problems)}. Its first line names the columns; those of {resource.what} "
            f"files are: {columns_listed}."
        )
    repeated = sorted({key for key in headers if headers.count(key) > 1})
    if repeated:
        raise FileProblem(f"{name} has the column {', '.join(repeated)} more than once.")
    if "" in headers:
        raise FileProblem(f"{name} has a column without a name on its first line (column {headers.index('') + 1}).")
    if not data_rows:
        raise FileProblem(f"{name} has its column names but no rows.")
    return Table(name=name, text=text, headers=headers, rows=data_rows)


# --- Importing ------------------------------------------------------------------------------


@dataclass
class RowResult:
    line: int
    action: str = "new"  # new, update, unchanged, error
    record: str = ""
    obj: models.Model | None = None
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (column, before, after)
    errors: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    rows: list[RowResult]
    committed: bool = False

    @property
    def errors(self) -> int:
        return sum(1 for row in self.rows if row.errors)

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action and not row.errors)

    @property
    def summary(self) -> str:
        parts = [f"{self.count('new')} new", f"{self.count('update')} changed", f"{self.count('unchanged')} unchanged"]
        if self.errors:
            parts.append(f"{self.errors} with errors")
        return f"{len(self.rows)} rows: " + ", ".join(parts)


class _RowFailed(Exception):
    """Undoes the savepoint of a row that failed its checks."""


def _validation_messages(error: ValidationError, headers: dict[str, str]) -> list[str]:
    messages = []
    for name, field_messages in error.message_dict.items():
        for message in field_messages:
            if name == NON_FIELD_ERRORS:
                messages.append(message)
            else:
                messages.append(f"{headers.get(name, name)}: {message}")
    return messages


def run_import(
    resource: Resource,
    table: Table,
    *,
    commit: bool,
    on_saved: Callable[[models.Model, bool], None] = lambda obj, created: None,
) -> ImportResult:
    """Apply every row of ``table`` in one transaction and report each; keep it only if ``commit`` and all are right.

    The preview (``commit=False``) runs the very same writes and rolls them back, so it
    shows what the import will do, rows that name records made by earlier rows included.
    ``on_saved(obj, created)`` is told of each record written (the admin's log).
    """
    columns = resource.column_map()
    present = [columns[key] for key in table.headers]
    headers_by_field = {column.field_name: column.header for column in present}
    results: list[RowResult] = []
    touched: dict[Any, int] = {}  # record pk -> the line that wrote it
    with transaction.atomic():
        for line, cells in table.rows:
            result = RowResult(line=line)
            results.append(result)
            padded = cells + [""] * (len(table.headers) - len(cells))
            if len(cells) > len(table.headers):
                result.errors.append(f"it has {len(cells)} cells; the first line names {len(table.headers)} columns")
            by_header = dict(zip(table.headers, padded, strict=False))
            result.record = by_header.get(resource.name_field, "").strip()
            try:
                with transaction.atomic():
                    _import_row(resource, present, headers_by_field, by_header, result, touched)
                    if result.errors:
                        raise _RowFailed
                    if result.obj is not None and result.action != "unchanged":
                        on_saved(result.obj, result.action == "new")
            except _RowFailed:
                result.action = "error"
            except IntegrityError as error:  # what the checks above could not see (a write racing this one)
                result.action = "error"
                result.errors.append(f"the database refused it: {error}")
        if not commit or any(row.errors for row in results):
            transaction.set_rollback(True)
            committed = False
        else:
            committed = True
    return ImportResult(rows=results, committed=committed)


def _import_row(
    resource: Resource,
    present: list[Column],
    headers_by_field: dict[str, str],
    cells: dict[str, str],
    result: RowResult,
    touched: dict[Any, int],
) -> None:
    values: dict[str, Any] = {}
    for column in present:
        try:
            values[column.header] = column.parse(cells.get(header_key(column.header), ""))
        except CellError as error:
            result.errors.append(f"{column.header}: {error}")
    if not result.record:
        result.errors.append(f"{resource.name_field}: every row needs one")
    try:
        obj, by_name = resource.find(cells)
    except CellError as error:
        result.errors.append(str(error))
        return
    if result.errors:
        return
    if obj is not None and obj.pk in touched:
        result.errors.append(f"it is the same {resource.what} as line {touched[obj.pk]}")
        return
    created = obj is None
    if obj is None:
        obj = resource.new()
    result.obj = obj
    result.action = "new" if created else "update"
    for column in present:
        value = values[column.header]
        if value is KEEP or (by_name and not created and column.field_name == resource.name_field):
            continue  # a row found by name or alias names its record; renaming one takes its slug
        before = column.get(obj) if not created else None
        if created:
            if column.show(value) not in ("(empty)", "(none)"):
                result.changes.append((column.header, "", column.show(value)))
        elif not column.same(before, value):
            result.changes.append((column.header, column.show(before), column.show(value)))
        column.set(obj, value)
    if not created and not result.changes:
        result.action = "unchanged"
        touched[obj.pk] = result.line
        return
    resource.prepare(obj)
    try:
        obj.full_clean()
    except ValidationError as error:
        result.errors.extend(_validation_messages(error, headers_by_field))
        return
    extra = resource.extra_errors(
        obj, {c.field_name: values[c.header] for c in present if values[c.header] is not KEEP}
    )
    if extra:
        result.errors.extend(f"{headers_by_field.get(name, name)}: {message}" for name, message in extra.items())
        return
    obj._change_reason = resource.change_reason  # type: ignore[attr-defined]
    obj.save()
    for column in present:
        if column.after_save and values[column.header] is not KEEP:
            column.set_related(obj, values[column.header])
    touched[obj.pk] = result.line


# --- Exporting ------------------------------------------------------------------------------

# Never written to a spreadsheet: secrets, and the search index's internals.
EXPORT_EXCLUDED_FIELDS = {"password", "search_vector", "session_data"}
EXPORT_EXCLUDED = {("authtoken", "token"): {"key"}, ("authtoken", "tokenproxy"): {"key"}}


@dataclass
class ExportColumn:
    header: str
    value: Callable[[models.Model], Any]


def model_export_columns(model: type[models.Model]) -> list[ExportColumn]:
    """Every field of a model that has no resource: its stored values, related records by slug or name."""
    excluded = EXPORT_EXCLUDED_FIELDS | EXPORT_EXCLUDED.get(
        (model._meta.app_label, model._meta.model_name or ""), set()
    )
    columns = []
    for model_field in model._meta.get_fields():
        if model_field.name in excluded or model_field.auto_created and not model_field.concrete:
            continue
        if model_field.many_to_many and not model_field.auto_created:
            columns.append(ExportColumn(model_field.name, _many_value(model_field.name)))
        elif model_field.concrete and not model_field.many_to_many:
            if model_field.is_relation:
                columns.append(ExportColumn(model_field.name, _related_value(model_field.name)))
            else:
                columns.append(ExportColumn(model_field.name, _field_value(model_field.attname)))
    return columns


def _label(record: models.Model | None) -> str:
    if record is None:
        return ""
    return getattr(record, "slug", None) or str(record)


def _field_value(attname: str) -> Callable[[models.Model], Any]:
    return lambda obj: getattr(obj, attname)


def _related_value(name: str) -> Callable[[models.Model], Any]:
    return lambda obj: _label(getattr(obj, name))


def _many_value(name: str) -> Callable[[models.Model], Any]:
    return lambda obj: "; ".join(_label(record) for record in getattr(obj, name).all())


def export_rows(queryset: models.QuerySet, resource: Resource | None) -> tuple[list[str], Iterable[list[Any]]]:
    """The header and the rows of a spreadsheet of ``queryset``: the resource's columns, or every field."""
    if resource is not None:
        columns = [ExportColumn(column.header, column.export) for column in resource.columns]
        queryset = resource.export_queryset(queryset)
    else:
        model = queryset.model
        columns = model_export_columns(model)
        relations = [
            f.name
            for f in model._meta.get_fields()
            if f.concrete and f.is_relation and not f.many_to_many and f.name not in EXPORT_EXCLUDED_FIELDS
        ]
        many = [f.name for f in model._meta.get_fields() if f.many_to_many and not f.auto_created]
        if relations:
            queryset = queryset.select_related(*relations)
        if many:
            queryset = queryset.prefetch_related(*many)
    rows = ([column.value(obj) for column in columns] for obj in queryset.iterator(chunk_size=500))
    return [column.header for column in columns], rows


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    text = str(value)
    if isinstance(value, str) and text.startswith(FORMULA_STARTS):
        return "'" + text  # a spreadsheet would run it as a formula
    return text


def write_csv(headers: list[str], rows: Iterable[list[Any]]) -> bytes:
    """UTF-8 with the byte-order mark Excel needs to read it as UTF-8 (the import takes it too)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return value.replace(tzinfo=None) if value.tzinfo else value  # Excel has no time zones: UTC, as stored
    if value is None:
        return ""
    if isinstance(value, bool | int | float | Decimal | datetime.date):
        return value
    return str(value)


def write_xlsx(headers: list[str], rows: Iterable[list[Any]], *, title: str) -> bytes:
    workbook = Workbook(write_only=True)
    title = re.sub(r"[\\/*?:\[\]]", " ", title).strip()[:31]  # characters a sheet's name may not hold
    sheet = workbook.create_sheet(title=title or "Sheet")
    bold = Font(bold=True)

    def cells(values: list[Any], font: Font | None = None) -> list[WriteOnlyCell]:
        row = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=_xlsx_value(value))
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text, never a formula, whatever it starts with
            if font is not None:
                cell.font = font
            row.append(cell)
        return row

    sheet.append(cells(headers, bold))
    for values in rows:
        sheet.append(cells(values))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
