"""``manage.py import_wordpress export.xml [--media DIR]``: a WordPress site's posts become articles."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from articles.wordpress import WXRError, authors_summary, group_by_reason, read_wxr, wordpress_import

# How many titles the report lists for one reason before it says "and N more".
LISTED = 20


class _BarStream:
    """The command's stderr for tqdm, which draws its bar with carriage returns and no newlines."""

    def __init__(self, out):
        self.out = out

    def write(self, text):
        self.out.write(text, ending="")

    def flush(self):
        self.out.flush()


class Command(BaseCommand):
    help = (
        "Import a WordPress export (WXR, from WordPress's Tools > Export): posts become articles, categories and "
        "tags topics, authors author profiles; the old site's addresses redirect. A second run changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("export", help="The .xml file WordPress exported.")
        parser.add_argument(
            "--media",
            metavar="DIR",
            help="A copy of the site's wp-content/uploads folder: the posts' images are taken from it "
            "(without it they stay links to the old site).",
        )
        parser.add_argument("--pages", action="store_true", help="Import WordPress pages as articles too.")
        parser.add_argument("--dry-run", action="store_true", help="Report what would be imported; keep nothing.")
        parser.add_argument("--quiet", action="store_true", help="No progress bar.")

    def handle(self, *args, export, media=None, pages=False, dry_run=False, quiet=False, **options):
        media_dir = None
        if media:
            media_dir = Path(media)
            if not media_dir.is_dir():
                raise CommandError(f"--media {media}: no such folder (give a copy of wp-content/uploads).")
        try:
            wxr = read_wxr(export)
        except WXRError as error:
            raise CommandError(f"{error} Nothing was imported.") from None

        def progress(items):
            return tqdm(
                items, desc="Importing posts", unit="post", file=_BarStream(self.stderr), disable=quiet, leave=True
            )

        report = wordpress_import(wxr, media_dir=media_dir, include_pages=pages, dry_run=dry_run, progress=progress)
        self.write_report(report, wxr.name)

    def write_report(self, report, name):
        out = self.stdout.write
        created = ", ".join(f"{count} {status}" for status, count in sorted(report.created.items()))
        verb = "Would import" if report.dry_run else "Imported"
        out(f"{verb} {report.total_created} article(s) from {name}" + (f" ({created})" if created else "") + ".")
        if report.already:
            out(f"Already imported, left as they are: {len(report.already)}.")
        if report.topics_created or report.topics_matched:
            out(
                f"Topics: {len(report.topics_created)} new ({', '.join(report.topics_created) or 'none'}), "
                f"{len(report.topics_matched)} existing ({', '.join(report.topics_matched) or 'none'})."
            )
        if report.authors:
            out("Authors:")
            for line in authors_summary(report):
                out(f"  {line}")
        images = report.images
        if images.images or images.linked or images.refused or images.missing:
            out(
                f"Images: {images.images} taken from the uploads folder, "
                f"{images.linked} kept as links ({images.refused} refused, {images.missing} not found)."
            )
        if report.mentions:
            found = ", ".join(f"{count} {kind}" for kind, count in sorted(report.mentions.items()) if count)
            out(f"Mentions detected: {found or 'none'}.")
        out(f"Addresses of the old site redirecting here: {report.redirects} new.")
        if report.skipped:
            out(f"Skipped ({len(report.skipped)}):")
            for why, items in group_by_reason(report.skipped).items():
                listed = ", ".join(items[:LISTED]) + (f" and {len(items) - LISTED} more" if len(items) > LISTED else "")
                out(f"  {why}: {listed}")
        not_imported = []
        if report.comments:
            not_imported.append(f"{report.comments} comment(s): the site has no comments")
        if report.unused_fields:
            fields = ", ".join(f"{key} ({count})" for key, count in sorted(report.unused_fields.items()))
            not_imported.append(f"custom fields, which articles have no place for: {fields}")
        if not_imported:
            out("Not imported:")
            for line in not_imported:
                out(f"  {line}")
        if report.notes:
            out(f"Notes ({len(report.notes)}):")
            for what, note in report.notes:
                out(f"  {what}: {note}")
        if report.dry_run:
            out("Dry run: nothing was kept.")
