"""Images: uploads checked by content, EXIF stripped, renditions made once, pages use srcset, shares get og:image."""

import datetime
import io
import re

import pytest
from PIL import Image as PILImage

from articles.models import Article, Image
from articles.tests.images import picture_bytes, upload
from lenrnews.tests.admin_forms import form_errors

pytestmark = pytest.mark.django_db


def test_an_upload_is_stored_clean_in_every_size(editor_client, settings):
    response = upload(editor_client, picture_bytes(), credit="Photo: IH")
    assert response.status_code == 302, form_errors(response)
    image = Image.objects.get()
    assert (image.width, image.height, image.format) == (1600, 900, "JPEG")
    widths = sorted({r["width"] for r in image.renditions})
    assert widths == [320, 640, 960, 1280, 1600]
    assert {r["format"] for r in image.renditions} == {"WEBP", "JPEG"}
    original = (settings.MEDIA_ROOT / image.original).read_bytes()
    assert b"SecretCam" not in original
    with PILImage.open(io.BytesIO(original)) as stored:
        assert not stored.getexif()
    served = editor_client.get(image.url(640, "WEBP"))
    assert served.status_code == 200 and served["Content-Type"] == "image/webp"
    assert served["X-Content-Type-Options"] == "nosniff" and "sandbox" in served["Content-Security-Policy"]


@pytest.mark.parametrize(
    "content, name, message",
    [
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "evil.png", "SVG"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "broken.png", "corrupt"),
        (b"GIF89a" + b"\x00" * 40, "anim.gif", "not a readable"),
        (b"%PDF-1.4 not an image", "doc.jpg", "not a readable"),
    ],
)
def test_a_file_that_is_not_a_jpeg_png_or_webp_is_refused_with_a_clear_message(editor_client, content, name, message):
    response = upload(editor_client, content, name=name)
    assert response.status_code == 200
    assert message.lower() in " ".join(form_errors(response)).lower()
    assert not Image.objects.exists()


def test_too_large_and_too_many_pixels_are_refused(editor_client, settings):
    settings.IMAGE_MAX_BYTES = 1000
    response = upload(editor_client, picture_bytes())
    assert "at most" in " ".join(form_errors(response))
    settings.IMAGE_MAX_BYTES = 10 * 1024 * 1024
    settings.IMAGE_MAX_PIXELS = 1000
    response = upload(editor_client, picture_bytes(size=(100, 100)))
    assert "pixels" in " ".join(form_errors(response))
    assert not Image.objects.exists()


def test_alt_text_is_required(editor_client):
    response = upload(editor_client, picture_bytes(), alt="")
    assert response.status_code == 200 and not Image.objects.exists()


def test_the_article_shows_its_lead_image_with_srcset_and_shares_it(client, editor_client):
    upload(editor_client, picture_bytes(fmt="PNG", size=(1000, 500)), name="chart.png", caption="The park")
    image = Image.objects.get()
    article = Article.objects.create(
        title="With a picture", slug="with-a-picture", body=f"Text.\n\n{image.markdown}\n", status="published",
        publish_at=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC), lead_image=image,
    )  # fmt: skip
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<source type="image/webp" srcset="/media/images/' in html and " 320w" in html
    assert 'alt="The reactor"' in html and 'width="1000" height="500"' in html
    assert re.search(r'<meta property="og:image" content="http://[^"]+/media/images/[0-9a-f]{32}/1000\.png">', html)
    assert '"image": "http' in html  # JSON-LD
    assert "The park" in html
    # The inline image from the Markdown is served from this site.
    assert f'<img src="{image.url(1280, "WEBP")}"' in html
    listing = client.get("/articles/").content.decode()
    assert 'loading="lazy"' in listing and "srcset=" in listing


def test_only_stored_image_names_are_served(client):
    assert client.get("/media/../../etc/passwd").status_code == 404
    assert client.get("/media/images/abc/original.html").status_code == 404
