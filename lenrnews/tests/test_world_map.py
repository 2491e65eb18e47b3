"""The organizations listing shows where the selected organizations are based, each country a filter link."""

import re

import pytest

from lenrnews.worldmap import STATIC_PATH, build_world_svg, mapped_codes, source_svg
from organizations.models import Organization

pytestmark = pytest.mark.django_db


def test_the_outlines_file_is_built_from_the_package_and_served_as_a_static_file():
    assert STATIC_PATH.read_text() == build_world_svg(source_svg())
    assert {"us", "cn", "it", "jp", "se", "ru", "in"} <= mapped_codes()


def test_the_map_shades_the_countries_of_the_filtered_organizations(client):
    for n in range(4):
        Organization.objects.create(name=f"US company {n}", kind="company", country="US")
    Organization.objects.create(name="Chinese company", kind="company", country="CN")
    Organization.objects.create(name="Italian lab", kind="research_lab", country="IT")
    html = client.get("/organizations/?kind=company").content.decode()
    svg = html[html.index('<svg class="map"') : html.index("</svg>", html.index('<svg class="map"'))]
    assert 'aria-labelledby="map-title"' in svg and "<title" in svg and "<desc" in svg
    shaded = dict(
        re.findall(r'href="/organizations/\?kind=company&amp;country=([A-Z]{2})" class="map__country ([^"]+)"', svg)
    )
    assert set(shaded) == {"US", "CN"}  # the lab is not a company
    assert shaded["US"] == "map__country--5" and shaded["CN"] == "map__country--1"
    assert 'href="/static/maps/world.svg#us"' in svg
    # The numbers are in a table too.
    table = html[html.index("The numbers by country") :]
    assert "United States of America" in table and ">4<" in table
    # Clicking a country filters by it.
    assert client.get("/organizations/?kind=company&country=CN").context["result_count"] == 1


def test_without_organizations_there_is_no_map(client):
    assert 'class="map"' not in client.get("/organizations/").content.decode()
