"""Images for the tests: real pictures made by Pillow, uploaded through the admin as an editor does."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage


def picture_bytes(fmt="JPEG", size=(1600, 900), exif=True):
    """A real picture in ``fmt``; a JPEG carries EXIF (a camera's make and software) unless ``exif`` is off."""
    image = PILImage.new("RGB", size, (200, 80, 40))
    out = io.BytesIO()
    if exif and fmt == "JPEG":
        data = PILImage.Exif()
        data[0x010F] = "SecretCam"  # Make
        data[0x0131] = "SecretSoftware 1.0"  # Software
        image.save(out, fmt, exif=data)
    else:
        image.save(out, fmt)
    return out.getvalue()


def upload(editor_client, content, name="photo.jpg", alt="The reactor", **fields):
    """Post ``content`` as a file called ``name`` to the admin's "Add image" form."""
    url = reverse("admin:articles_image_add")
    return editor_client.post(
        url, {"upload": SimpleUploadedFile(name, content), "alt": alt, "caption": "", "credit": "", **fields}
    )
