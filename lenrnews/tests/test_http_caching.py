"""ETags and 304s on the public pages (Django's ConditionalGetMiddleware); the API's are in test_api.py."""

import pytest

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/articles/",
    "/articles/industrial-heat-china/",
    "/organizations/",
    "/organizations/industrial-heat/",
    "/investments/",
    "/search/?q=Baishishan",
    "/feeds/articles.rss",
]


@pytest.mark.parametrize("url", PAGES)
def test_a_page_has_an_etag_and_a_matching_request_gets_304(world, client, url):
    response = client.get(url)
    assert response.status_code == 200
    etag = response["ETag"]
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert client.get(url, HTTP_IF_NONE_MATCH='"something-else"').content == response.content


def test_the_page_s_etag_changes_with_its_content(world, client):
    url = "/articles/industrial-heat-china/"
    etag = client.get(url)["ETag"]
    world.article.title = "Industrial Heat and China: the deal, revised"
    world.article.save()
    response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert "the deal, revised" in response.content.decode()
    assert response["ETag"] != etag


def test_a_page_that_must_not_be_stored_has_no_etag(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "ETag" not in response
