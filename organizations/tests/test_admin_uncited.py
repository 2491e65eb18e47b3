"""The admin names a profile's facts that no citation supports; the public page marks only cited facts.

An organization's, a person's or a technology's change page has a read-only "Uncited facts"
line (organizations/admin.py, ``UncitedFactsMixin``). Readers never see that judgement:
their page puts a numbered mark beside each cited fact and nothing beside the others.
"""

import html
import re

import pytest
from django.urls import reverse

from articles.tests.factories import SourceFactory
from lenrnews.tests.admin_forms import admin_form_data, form_errors
from organizations.models import Organization, Technology
from organizations.tests.factories import OrganizationFactory, PersonFactory, TechnologyFactory

pytestmark = pytest.mark.django_db

EVERY_FACT_CITED = "none: every filled-in fact has a source"


def change_url(record):
    return reverse(f"admin:organizations_{record._meta.model_name}_change", args=[record.pk])


def uncited_line(page):
    """The text of the change page's "Uncited facts" line, as an editor reads it."""
    content = page.content.decode()
    row = content[content.index("field-uncited_facts") :]
    return html.unescape(re.search(r'<div class="readonly">(.*?)</div>', row, flags=re.S).group(1)).strip()


def cite_in_admin(editor_client, record, source, fields):
    """Add a citation of ``source`` for ``fields`` on the record's change page, as an editor does."""
    url = change_url(record)
    data = admin_form_data(editor_client.get(url))
    index = int(data["citations-TOTAL_FORMS"])
    data.update(
        {
            "citations-TOTAL_FORMS": str(index + 1),
            f"citations-{index}-subject": record.pk,
            f"citations-{index}-source": source.pk,
            f"citations-{index}-fields_cited": fields,
            f"citations-{index}-quote": "",
        }
    )
    response = editor_client.post(url, data)
    assert response.status_code == 302, form_errors(response)


def test_an_organizations_uncited_founding_year_and_country_are_named_until_a_source_is_cited(editor_client, client):
    heat = OrganizationFactory(name="Industrial Heat", country="US", founded=2012, city="", website="")
    registry = SourceFactory(publisher="NC Secretary of State")

    assert uncited_line(editor_client.get(change_url(heat))) == "kind, founded, country"

    cite_in_admin(editor_client, heat, registry, ["founded", "country"])

    assert list(heat.citations.values_list("fields", flat=True)) == [["founded", "country"]]
    assert uncited_line(editor_client.get(change_url(heat))) == "kind"

    cite_in_admin(editor_client, heat, SourceFactory(), ["kind"])

    assert uncited_line(editor_client.get(change_url(heat))) == EVERY_FACT_CITED


def test_a_fact_filled_in_later_is_named_uncited_again(editor_client):
    heat = OrganizationFactory(country="US", founded=None, city="")
    cite_in_admin(editor_client, heat, SourceFactory(), ["kind", "country"])
    assert uncited_line(editor_client.get(change_url(heat))) == EVERY_FACT_CITED

    Organization.objects.filter(pk=heat.pk).update(city="Raleigh", founded=2012)

    assert uncited_line(editor_client.get(change_url(heat))) == "founded, city"


def test_a_persons_and_a_technologys_uncited_facts_are_named(editor_client):
    rossi = PersonFactory(name="Andrea Rossi", country="IT", born=1950)
    ecat = TechnologyFactory(name="E-Cat", approach=Technology.Approach.NI_H, stage=Technology.Stage.LABORATORY)
    ecat.inventors.add(rossi)
    unknown = TechnologyFactory(approach=Technology.Approach.UNKNOWN, stage=Technology.Stage.UNKNOWN)

    assert uncited_line(editor_client.get(change_url(rossi))) == "country, born"
    assert uncited_line(editor_client.get(change_url(ecat))) == "approach, stage, inventors"
    assert uncited_line(editor_client.get(change_url(unknown))) == EVERY_FACT_CITED, "unknown is not a fact"

    cite_in_admin(editor_client, rossi, SourceFactory(), ["born"])
    cite_in_admin(editor_client, ecat, SourceFactory(), ["stage", "inventors"])

    assert uncited_line(editor_client.get(change_url(rossi))) == "country"
    assert uncited_line(editor_client.get(change_url(ecat))) == "approach"


def test_the_public_page_marks_cited_facts_and_never_says_uncited(client):
    heat = OrganizationFactory(name="Industrial Heat", country="US", founded=2012)
    rossi = PersonFactory(country="IT", born=1950)
    ecat = TechnologyFactory(stage=Technology.Stage.LABORATORY)

    def founded_line():
        page = client.get(heat.get_absolute_url()).content.decode()
        assert "uncited" not in page.lower()
        line = page[page.index("<dt>Founded</dt>") :]
        return line[: line.index("</dd>")]

    assert "2012" in founded_line() and 'class="cite"' not in founded_line()
    for record in (rossi, ecat):
        assert "uncited" not in client.get(record.get_absolute_url()).content.decode().lower()

    heat.citations.create(source=SourceFactory(publisher="NC Secretary of State"), fields=["founded"])

    assert "2012" in founded_line() and 'class="cite"' in founded_line()
