"""Uploaded images: checked by their content, stripped of metadata, stored once in every size pages use.

An upload is opened with Pillow whatever its name says: only JPEG, PNG and WebP are
taken, within a byte and a pixel limit (``IMAGE_MAX_BYTES``, ``IMAGE_MAX_PIXELS``); an
SVG, a PDF or a corrupt file named ``.png`` is refused with a clear message. The image
is turned upright (EXIF orientation) and encoded again, which leaves EXIF, GPS and any
other metadata (and anything hidden after the image data) behind. Renditions are made
once, at upload, in each width of ``RENDITION_WIDTHS`` no wider than the original, as
WebP and in the original's format, through Django's default storage (a folder under
``var/`` by default, an S3-compatible bucket when configured). The files are served
with the content type of their own format and ``nosniff``; nothing uploaded is ever
served as HTML or run.
"""

import io
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps, UnidentifiedImageError

FORMATS = {"JPEG": ("jpg", "image/jpeg"), "PNG": ("png", "image/png"), "WEBP": ("webp", "image/webp")}
RENDITION_WIDTHS = (320, 640, 960, 1280, 1920)


def max_bytes():
    return getattr(settings, "IMAGE_MAX_BYTES", 10 * 1024 * 1024)


def max_pixels():
    return getattr(settings, "IMAGE_MAX_PIXELS", 40_000_000)


def check_image(upload) -> tuple[str, int, int]:
    """The format, width and height of an uploaded image; a ``ValidationError`` saying why it is refused."""
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes():
        raise ValidationError(
            f"The file is {size / 1024 / 1024:.1f} MB; images may be at most {max_bytes() / 1024 / 1024:.0f} MB.",
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(512)
    upload.seek(0)
    if head.lstrip().startswith((b"<", b"<?xml")) or b"<svg" in head.lower():
        raise ValidationError("This is an SVG or another text file, not a JPEG, PNG or WebP image.", code="not_image")
    try:
        with Image.open(upload) as probe:
            kind = probe.format
            width, height = probe.size
            if kind not in FORMATS:
                raise ValidationError(
                    f"{kind or 'This'} images are not taken: upload a JPEG, PNG or WebP image.", code="format"
                )
            if width * height > max_pixels():
                raise ValidationError(
                    f"The image is {width} × {height} pixels; at most {max_pixels():,} pixels are taken.",
                    code="too_many_pixels",
                )
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()  # the whole image decodes: a truncated file is refused here
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise ValidationError(
            "The file is not a readable JPEG, PNG or WebP image (it may be corrupt).", code="corrupt"
        ) from error
    finally:
        upload.seek(0)
    return kind, width, height


def _encode(image, kind, quality=82):
    out = io.BytesIO()
    if kind == "JPEG":
        image.convert("RGB").save(out, "JPEG", quality=quality, optimize=True, progressive=True)
    elif kind == "PNG":
        image.save(out, "PNG", optimize=True)
    else:
        image.save(out, "WEBP", quality=quality, method=4)
    return out.getvalue()


def store_image(upload):
    """Check ``upload``, then store it clean and in every rendition. Returns the stored facts:

    ``{"original": name, "format": "JPEG", "width": w, "height": h, "renditions": [{width, format, name}]}``.
    """
    kind, _, _ = check_image(upload)
    with Image.open(upload) as opened:
        image = ImageOps.exif_transpose(opened)
        image.load()
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    width, height = image.size
    folder = f"images/{uuid.uuid4().hex}"
    extension = FORMATS[kind][0]
    original = default_storage.save(f"{folder}/original.{extension}", ContentFile(_encode(image, kind, 90)))
    renditions = []
    widths = [w for w in RENDITION_WIDTHS if w < width] + [width]
    for target in sorted(set(widths)):
        resized = image if target == width else image.resize((target, round(height * target / width)), Image.LANCZOS)
        for fmt in dict.fromkeys(["WEBP", kind]):
            name = default_storage.save(f"{folder}/{target}.{FORMATS[fmt][0]}", ContentFile(_encode(resized, fmt)))
            renditions.append({"width": target, "format": fmt, "name": name})
    return {"original": original, "format": kind, "width": width, "height": height, "renditions": renditions}


def delete_stored(names):
    for name in names:
        if name and default_storage.exists(name):
            default_storage.delete(name)
