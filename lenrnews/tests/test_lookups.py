"""Exact lookups: ``?name=``, ``?alias=``, ``?slug=`` on organizations, people and technologies; ``?url=`` and
``?doi=`` on sources; ``?q=`` still searches words."""

import pytest

from articles.tests.factories import SourceFactory
from lenrnews.names import doi_key, name_key, url_key
from lenrnews.tests.api_support import API, client_for
from organizations.models import Organization
from organizations.tests.factories import OrganizationFactory, PersonFactory, TechnologyFactory

pytestmark = pytest.mark.django_db


def slugs(response):
    assert response.status_code == 200, response.content
    return sorted(row["slug"] for row in response.json()["results"])


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Industrial Heat, LLC", "industrial heat llc"),
        ("E-Cat", "ECAT"),
        ("Brillouin  Energy Corp.", "brillouin-energy-corp"),
        ("Université Paris-Sud", "universite paris sud"),
        ("Ｃｈｅｒｏｋｅｅ", "cherokee"),
    ],
)
def test_names_that_differ_in_case_accents_punctuation_and_spaces_share_a_key(a, b):
    assert name_key(a) == name_key(b) != ""


def test_legal_forms_are_part_of_the_name():
    assert name_key("Industrial Heat") != name_key("Industrial Heat LLC")


@pytest.mark.parametrize(
    "variant",
    [
        "https://www.e-catworld.com/2015/10/20/ih-china/",
        "http://e-catworld.com/2015/10/20/ih-china",
        "HTTPS://E-CATWORLD.COM:443/2015/10/20/ih-china/#comments",
        "https://e-catworld.com/2015/10/20/ih-china/?utm_source=feed&utm_medium=rss",
        "e-catworld.com/2015/10/20/ih-china",
    ],
)
def test_addresses_of_one_page_share_a_key(variant):
    assert url_key(variant) == url_key("https://e-catworld.com/2015/10/20/ih-china")


def test_an_address_keeps_its_path_case_its_parameters_and_an_unusual_port():
    base = url_key("https://example.org/Report?id=7")
    assert base != url_key("https://example.org/report?id=7")
    assert base != url_key("https://example.org/Report?id=8")
    assert base == url_key("https://example.org/Report?utm_campaign=x&id=7")
    assert url_key("https://example.org:8443/a") != url_key("https://example.org/a")


def test_a_doi_is_compared_without_its_resolver_prefix_and_case():
    assert doi_key("https://doi.org/10.1016/J.PHYSLETB.2010.01.001") == "10.1016/j.physletb.2010.01.001"
    assert doi_key("doi:10.1016/j.physletb.2010.01.001") == doi_key("10.1016/J.PhysLetB.2010.01.001")


@pytest.mark.parametrize(
    ("resource", "factory"),
    [("organizations", OrganizationFactory), ("people", PersonFactory), ("technologies", TechnologyFactory)],
)
def test_name_and_alias_lookups_are_exact_and_ignore_case_and_punctuation(resource, factory):
    factory(name="Industrial Heat", slug="industrial-heat", aliases="IH\nIndustrial Heat, LLC")
    factory(name="Industrial Heat Research", slug="ih-research")
    factory(name="Heat", slug="heat", aliases="Industrial")
    client = client_for()
    assert slugs(client.get(f"{API}{resource}/", {"name": "industrial heat"})) == ["industrial-heat"]
    assert slugs(client.get(f"{API}{resource}/", {"name": "INDUSTRIAL-HEAT"})) == ["industrial-heat"]
    # A name is not an alias, and an alias not a name.
    assert slugs(client.get(f"{API}{resource}/", {"name": "IH"})) == []
    assert slugs(client.get(f"{API}{resource}/", {"alias": "ih"})) == ["industrial-heat"]
    assert slugs(client.get(f"{API}{resource}/", {"alias": "industrial heat llc"})) == ["industrial-heat"]
    assert slugs(client.get(f"{API}{resource}/", {"alias": "Industrial Heat"})) == []
    # Nothing but punctuation names nothing.
    assert slugs(client.get(f"{API}{resource}/", {"name": "--"})) == []
    # q still searches words.
    assert slugs(client.get(f"{API}{resource}/", {"q": "industrial"})) == ["heat", "ih-research", "industrial-heat"]


def test_a_renamed_entity_is_found_by_its_new_name_and_not_its_old_one():
    organization = OrganizationFactory(name="Leonardo Corp", slug="leonardo")
    organization.name = "Leonardo Corporation"
    organization.aliases = "Leonardo Corp"
    organization.save()
    client = client_for()
    assert slugs(client.get(f"{API}organizations/", {"name": "leonardo corporation"})) == ["leonardo"]
    assert slugs(client.get(f"{API}organizations/", {"name": "leonardo corp"})) == []
    assert slugs(client.get(f"{API}organizations/", {"alias": "leonardo corp"})) == ["leonardo"]


@pytest.mark.parametrize(
    ("resource", "factory"),
    [("organizations", OrganizationFactory), ("people", PersonFactory), ("technologies", TechnologyFactory)],
)
def test_slug_is_repeatable_and_finds_a_record_by_a_former_slug(resource, factory):
    first, second, _third = factory(slug="first"), factory(slug="second"), factory(slug="third")
    client = client_for()
    assert slugs(client.get(f"{API}{resource}/?slug=first&slug=second&slug=nobody")) == ["first", "second"]
    first.slug = "first-renamed"
    first.save()
    assert slugs(client.get(f"{API}{resource}/?slug=first")) == ["first-renamed"]
    assert second.slug == "second"


def test_a_malformed_slug_is_a_400_naming_the_parameter_and_an_empty_one_no_filter():
    client = client_for()
    response = client.get(f"{API}organizations/?slug=not a slug")
    assert response.status_code == 400
    assert "slug" in response.json()
    # An empty parameter is no filter, on the API as on the pages.
    assert client.get(f"{API}organizations/?slug=").status_code == 200


def test_source_lookups_by_normalized_address_and_doi():
    report = SourceFactory(url="https://www.e-catworld.com/2015/10/20/ih-china/", doi="")
    paper = SourceFactory(url="", doi="10.1016/j.physletb.2010.01.001")
    SourceFactory(url="https://e-catworld.com/2015/10/21/other/")
    client = client_for()

    def ids(params):
        response = client.get(f"{API}sources/", params)
        assert response.status_code == 200, response.content
        return [row["id"] for row in response.json()["results"]]

    assert ids({"url": "http://e-catworld.com/2015/10/20/ih-china?utm_source=rss#top"}) == [report.pk]
    assert ids({"url": "https://e-catworld.com/2015/10/20"}) == []
    assert ids({"doi": "https://doi.org/10.1016/J.PHYSLETB.2010.01.001"}) == [paper.pk]
    assert ids({"doi": "10.1016/j.physletb.2010.01.002"}) == []


def test_a_source_edited_through_a_partial_save_keeps_its_address_key():
    source = SourceFactory(url="https://example.org/a")
    source.url = "https://example.org/b/"
    source.save(update_fields=["url"])
    source.refresh_from_db()
    assert source.url_key == "example.org/b"


def test_the_listing_page_takes_the_same_lookups_as_hidden_fields(client):
    OrganizationFactory(name="Industrial Heat", slug="industrial-heat", aliases="IH")
    OrganizationFactory(name="Cherokee Partners", slug="cherokee")
    page = client.get("/organizations/", {"alias": "ih"})
    assert page.status_code == 200
    assert [o.slug for o in page.context["page_obj"]] == ["industrial-heat"]
    html = page.content.decode()
    assert '<input type="hidden" name="alias" value="ih"' in html
    assert "Alias (exact)" in html  # its removable chip
    assert Organization.objects.count() == 2


def test_rows_written_without_a_save_are_found_once_the_keys_are_refreshed():
    import io

    from django.core.management import call_command

    from articles.models import Source

    Organization.objects.bulk_create([Organization(name="Brillouin Energy", slug="brillouin", aliases="BEC")])
    Source.objects.bulk_create([Source(title="Bulk", url="https://www.example.org/bulk/")])
    client = client_for()
    assert slugs(client.get(f"{API}organizations/", {"alias": "bec"})) == []
    out = io.StringIO()
    call_command("refresh_lookup_keys", stdout=out)
    assert "key(s) written" in out.getvalue()
    assert slugs(client.get(f"{API}organizations/", {"alias": "bec"})) == ["brillouin"]
    found = client.get(f"{API}sources/", {"url": "http://example.org/bulk"}).json()["results"]
    assert [row["title"] for row in found] == ["Bulk"]
