"""Nothing a reader can type into a listing's URL gives a 500.

A bad filter value is a 400 that shows the form with the error beside its control;
a page that doesn't exist is a 404.
"""

import pytest

pytestmark = pytest.mark.django_db

HUGE = "9" * 40

BAD_FILTERS = {
    "/organizations/": [
        "kind=spaceship", "country=XX", "country=US&country=ZZ", "technology=no-such-technology",
        "approach=cold", "stake=thief", "min_confidence=certain", "founded_min=abc", f"founded_max={HUGE}",
        "founded_min=-1", "founded_min=1e3", "founded_min=12.5", "ordering=-password", "ordering=name;drop",
        "q=%00", "country=US&kind=company&kind=bogus",
    ],
    "/technologies/": [
        "approach=cold", "stage=legend", "holder=no-such-org", "country=XX", "ordering=secret", "q=a%00b",
    ],
    "/investments/": [
        "kind=gift", "confidence=certain", "confidence=confirmed&confidence=nope", "min_confidence=sure",
        "year_min=abc", f"year_max={HUGE}", "year_min=-2015", "amount_min=abc", "amount_max=1e400",
        f"amount_min={HUGE}", "amount_min=NaN", "amount_max=Infinity", "amount_min=-5",
        "investor=no-such-party", "recipient=no-such-org", "technology=no-such-tech", "country=XX",
        "ordering=-password", "q=%00", "self_claim=perhaps",
    ],
    "/people/": ["organization=no-such-org", "role=king", "country=XX", "ordering=age", "q=%00"],
    "/articles/": [
        "topic=no-such-topic", "organization=no-such-org", "person=nobody", "technology=nothing", "year=abc",
        f"year={HUGE}", "year=3000", "month=13", "month=0", "month=abc", "ordering=views", "q=%00",
    ],
    "/topics/business/": ["year=abc", "month=13", "organization=no-such-org"],
}  # fmt: skip

HARMLESS = {
    "/organizations/": ["q=" + "x" * 5000, "unknown_param=1", "q=%27%3B+DROP+TABLE"],
    "/investments/": [
        "amount_min=1e-400",
        "amount_min=99999999999999.99",
        "q=Rossi%E2%80%99s",
        "amount_max=100000000000000",
        "amount_max=99999999999999.999",
    ],
    "/articles/": ["q=%F0%9F%94%A5", "year=2015&month=10"],
}


@pytest.mark.parametrize("url", [f"{path}?{query}" for path, queries in BAD_FILTERS.items() for query in queries])
def test_bad_filter_value_is_400_with_the_error_beside_its_control(client, story, url):
    response = client.get(url)

    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="field field--error' in html
    assert 'class="errorlist' in html
    assert "Some filters could not be used" in html
    assert "<form" in html


@pytest.mark.parametrize("url", [f"{path}?{query}" for path, queries in HARMLESS.items() for query in queries])
def test_harmless_odd_values_are_ignored_or_used(client, story, url):
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "url", ["/organizations/?has_deals=maybe", "/investments/?self_claim=perhaps", "/investments/?self_claim=2"]
)
def test_an_odd_yes_no_value_is_ignored_or_rejected_never_a_500(client, story, url):
    response = client.get(url)

    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert 'class="field field--error' in response.content.decode()


@pytest.mark.parametrize(
    "path", ["/organizations/", "/technologies/", "/investments/", "/people/", "/articles/", "/topics/business/"]
)
@pytest.mark.parametrize("page", ["0", "-1", "abc", "99999", HUGE, "1e3", "2"])
def test_page_that_does_not_exist_is_404(client, story, path, page):
    response = client.get(f"{path}?page={page}")

    assert response.status_code == 404
    assert "can’t find that page" in response.content.decode()


@pytest.mark.parametrize(
    "path", ["/organizations/", "/technologies/", "/investments/", "/people/", "/articles/", "/topics/business/"]
)
def test_page_one_and_last_page_exist(client, story, path):
    assert client.get(f"{path}?page=1").status_code == 200
    assert client.get(f"{path}?page=last").status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/organizations/no-such-org/", "/technologies/no-such-tech/", "/people/nobody/", "/investments/no-deal/",
        "/articles/no-article/", "/topics/no-topic/", "/topics/no-topic/?year=abc", "/organizations/%00/",
        "/articles/caf%C3%A9/",
    ],
)  # fmt: skip
def test_unknown_slug_is_a_styled_404(client, story, url):
    response = client.get(url)

    assert response.status_code == 404
    html = response.content.decode()
    assert "can’t find that page" in html
    assert 'class="site-header"' in html


@pytest.mark.parametrize(
    ("url", "target"),
    [
        ("/organizations/?q=&kind=company&country=&technology=", "/organizations/?kind=company"),
        ("/organizations/?kind=&kind=company&kind=", "/organizations/?kind=company"),
        ("/investments/?q=&page=", "/investments/"),
        ("/topics/business/?year=&month=10", "/topics/business/?month=10"),
    ],
)
def test_empty_controls_are_dropped_from_the_address(client, story, url, target):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == target
    assert client.get(target).status_code == 200
