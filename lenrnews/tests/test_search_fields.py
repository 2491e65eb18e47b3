"""A model says what search reads (``search_fields``); lenrnews/search.py builds its
document from that and refuses a declaration that cannot work."""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.test.utils import isolate_apps

from lenrnews.search import SearchDocument, check_search_fields, document_for, search_fields_problems


def test_a_declaration_groups_fields_by_weight_and_names_are_the_a_fields():
    document = SearchDocument.from_search_fields({"body": "C", "name": "A", "summary": "B", "aliases": "A"})

    assert document.weights == {"A": ("name", "aliases"), "B": ("summary",), "C": ("body",)}
    assert document.name_fields == ("name", "aliases")
    assert document.fields == ("name", "aliases", "summary", "body")
    assert document.snippet_fields == ("body", "summary")  # every field but the names, as declared


def test_the_snippet_fields_can_be_named():
    document = SearchDocument.from_search_fields({"title": "A", "standfirst": "B", "body": "C"}, ["body"])
    assert document.snippet_fields == ("body",)


@isolate_apps("lenrnews")
def test_a_model_without_a_declaration_has_no_document():
    class Note(models.Model):  # noqa: DJ008
        text = models.TextField()

    assert document_for(Note) is None
    assert search_fields_problems(Note) == []


@isolate_apps("lenrnews")
def test_a_declaration_that_cannot_work_is_a_system_check_error():
    class Event(models.Model):  # noqa: DJ008
        title = models.CharField(max_length=100)
        year = models.IntegerField()
        search_fields = {"title": "B", "year": "A", "missing": "C", "summary": "E"}
        search_snippet_fields = ["nowhere"]

    assert search_fields_problems(Event) == [
        "'year' is not a text field",
        "'missing' is not a text field",
        "'summary' is not a text field",
        "'nowhere' is not a text field",
        "'summary' weighs 'E', not one of A, B, C, D",
        "the model has no search_vector column",
    ]


@isolate_apps("lenrnews")
def test_a_declaration_needs_a_name_to_match_by_part():
    class Event(models.Model):  # noqa: DJ008
        summary = models.TextField()
        search_vector = SearchVectorField(null=True)
        search_fields = {"summary": "B"}

    assert search_fields_problems(Event) == ["no field weighs A (a name or title)"]


def test_the_site_s_declarations_pass_the_check():
    assert check_search_fields() == []
