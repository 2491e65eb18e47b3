"""The claim filters (lenrnews/filters.py ClaimFilter) sit where each listing always showed them.

How they filter is tested in articles/tests/test_provenance.py, per listing.
"""

import re

import pytest

from articles.filters import SourceFilter
from organizations.filters import AffiliationFilter, TechnologyStakeFilter

pytestmark = pytest.mark.django_db


def test_the_deal_listing_shows_its_controls_in_their_order(client):
    html = client.get("/investments/").content.decode()
    form = html[html.index('class="filter-form"') : html.index('class="filter-form__actions"')]
    names = list(dict.fromkeys(re.findall(r'name="(\w+)"', form)))
    assert names == [
        "q",
        "kind",
        "confidence",
        "min_confidence",
        "self_claim",
        "year_min",
        "year_max",
        "amount_min",
        "amount_max",
        "investor",
        "recipient",
        "status",
        "active_in",
        "technology",
        "country",
        "ordering",
    ]
    assert "Yes: deals resting on a party's own claim." in html
    assert "This level of confidence or surer (confirmed is surest)." in html


@pytest.mark.parametrize(
    ("filterset", "names"),
    [
        (
            AffiliationFilter,
            ["person", "organization", "role", "current", "confidence", "min_confidence", "self_claim"],
        ),
        (
            TechnologyStakeFilter,
            ["organization", "technology", "kind", "current", "confidence", "min_confidence", "self_claim"],
        ),
        # A source is a self-claim or not only for a claim it is cited for: the claims filter on it, not the sources.
        (SourceFilter, ["q", "url", "doi", "kind", "speaker", "year", "ordering"]),
    ],
)
def test_the_api_s_filter_forms_keep_their_order(filterset, names):
    assert list(filterset().form.fields) == names
