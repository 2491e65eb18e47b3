"""Organizations' logos and people's portraits: uploaded in the admin, shown with srcset, named to shares.

An editor uploads the picture from the organization's (or person's) change page, through
the "+" beside Logo (Portrait), which opens the admin's image form in a popup; the image is
checked by its content there (lenrnews/media.py), as an article's lead image is
(articles/tests/test_images.py). MEDIA_ROOT is this test's own folder.
"""

import html
import json
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils.html import escape

from articles.models import Image
from articles.tests.images import picture_bytes, upload
from lenrnews.seo import absolute_url
from lenrnews.tests.admin_forms import admin_form_data, form_errors
from organizations.tests.factories import OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db

ADD_IMAGE_POPUP = {"_popup": "1", "_to_field": "id"}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(root):
    return sorted(path for path in Path(root).rglob("*") if path.is_file())


def change_url(record):
    return reverse(f"admin:organizations_{record._meta.model_name}_change", args=[record.pk])


def upload_from_popup(editor_client, content, name, alt):
    """Upload in the popup the "+" beside the field opens; the new image's id, as the popup hands it back."""
    response = upload(editor_client, content, name=name, alt=alt, **ADD_IMAGE_POPUP)
    assert response.status_code == 200, form_errors(response)
    (data,) = re.findall(r'data-popup-response="([^"]+)"', response.content.decode())
    return int(json.loads(html.unescape(data))["value"])


def set_picture(editor_client, record, field, image_pk):
    """Choose the uploaded image in the record's change form and save it, as an editor does."""
    page = editor_client.get(change_url(record))
    assert f"{reverse('admin:articles_image_add')}?_to_field=id&amp;_popup=1" in page.content.decode()
    response = editor_client.post(change_url(record), admin_form_data(page, **{field: image_pk}))
    assert response.status_code == 302, form_errors(response)


def json_ld(page):
    (data,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, flags=re.S)
    return json.loads(data)


def assert_shown_with_srcset(page, image, css_class):
    """The picture in every stored width, WebP first, with its alt text and size."""
    assert f'<picture class="{css_class}"><source type="image/webp" srcset="{image.webp_srcset}"' in page
    assert " 320w" in image.webp_srcset and " 640w" in image.webp_srcset
    assert f'srcset="{image.fallback_srcset}"' in page
    assert f'alt="{escape(image.alt)}" width="{image.width}" height="{image.height}"' in page


def test_an_editor_gives_an_organization_a_logo_its_page_card_and_shares_show(editor_client, client):
    heat = OrganizationFactory(name="Industrial Heat", slug="industrial-heat")
    pk = upload_from_popup(editor_client, picture_bytes("PNG", (800, 400)), "ih-logo.png", "Industrial Heat's logo")
    set_picture(editor_client, heat, "logo", pk)

    heat.refresh_from_db()
    logo = heat.logo
    assert logo.pk == pk and (logo.format, logo.width, logo.height) == ("PNG", 800, 400)
    page = client.get(heat.get_absolute_url()).content.decode()
    assert_shown_with_srcset(page, logo, "entity-image entity-image--logo")
    assert re.search(r'<meta property="og:image" content="http://[^"]+/media/images/[0-9a-f]{32}/800\.png">', page)
    assert '<meta property="og:image:alt" content="Industrial Heat&#x27;s logo">' in page
    assert json_ld(page)["logo"] == absolute_url(logo.url(640, "PNG"))

    card = client.get(reverse("organizations:organization_list")).content.decode()
    assert_shown_with_srcset(card, logo, "card__image")
    assert 'loading="lazy"' in card
    assert client.get(logo.url(320, "WEBP"))["Content-Type"] == "image/webp"


def test_an_editor_gives_a_person_a_portrait_their_page_card_and_shares_show(editor_client, client):
    darden = PersonFactory(name="Tom Darden", slug="tom-darden")
    pk = upload_from_popup(editor_client, picture_bytes("JPEG", (700, 900)), "darden.jpg", "Tom Darden in 2016")
    set_picture(editor_client, darden, "portrait", pk)

    darden.refresh_from_db()
    portrait = darden.portrait
    assert portrait.pk == pk and (portrait.format, portrait.width) == ("JPEG", 700)
    page = client.get(darden.get_absolute_url()).content.decode()
    assert_shown_with_srcset(page, portrait, "entity-image")
    assert re.search(r'<meta property="og:image" content="http://[^"]+/media/images/[0-9a-f]{32}/700\.jpg">', page)
    assert json_ld(page)["image"] == absolute_url(portrait.url(640, "JPEG"))

    card = client.get(reverse("organizations:person_list")).content.decode()
    assert_shown_with_srcset(card, portrait, "card__image")


def test_without_a_picture_the_pages_show_none_and_share_none(client):
    heat = OrganizationFactory(name="Industrial Heat")
    darden = PersonFactory(name="Tom Darden")
    for record in (heat, darden):
        page = client.get(record.get_absolute_url()).content.decode()
        assert "<picture" not in page and "og:image" not in page
        assert not {"logo", "image"} & set(json_ld(page))


@pytest.mark.parametrize(
    ("content", "name", "limits", "message"),
    [
        (
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>',
            "logo.png",
            {},
            "This is an SVG or another text file, not a JPEG, PNG or WebP image.",
        ),
        (b"Industrial Heat LLC, Raleigh\n", "logo.png", {}, "not a readable JPEG, PNG or WebP image"),
        (picture_bytes("PNG", (800, 400)), "big.png", {"IMAGE_MAX_BYTES": 1000}, "images may be at most"),
        (picture_bytes("PNG", (800, 400)), "wide.png", {"IMAGE_MAX_PIXELS": 100_000}, "at most 100,000 pixels"),
    ],
    ids=["svg-named-png", "text-named-png", "too-many-bytes", "too-many-pixels"],
)
def test_a_bad_logo_upload_is_refused_with_a_clear_message_and_nothing_saved(
    editor_client, client, settings, media_root, content, name, limits, message
):
    for setting, value in limits.items():
        setattr(settings, setting, value)
    heat = OrganizationFactory(name="Industrial Heat")

    response = upload(editor_client, content, name=name, alt="Industrial Heat's logo", **ADD_IMAGE_POPUP)

    assert response.status_code == 200
    assert "data-popup-response" not in response.content.decode()  # the popup stays open on the form
    assert message in " ".join(form_errors(response))
    assert not Image.objects.exists()
    assert stored_files(media_root) == []
    heat.refresh_from_db()
    assert heat.logo is None
    assert "<picture" not in client.get(heat.get_absolute_url()).content.decode()


def test_a_portrait_upload_is_checked_as_a_logo_is(editor_client, media_root):
    darden = PersonFactory(name="Tom Darden")
    response = upload(editor_client, b"GIF89a" + b"\x00" * 40, name="darden.jpg", alt="Tom Darden", **ADD_IMAGE_POPUP)
    assert "not a readable JPEG, PNG or WebP image" in " ".join(form_errors(response))
    assert not Image.objects.exists() and stored_files(media_root) == []
    darden.refresh_from_db()
    assert darden.portrait is None
