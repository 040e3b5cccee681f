"""The pixel limit of image uploads, with a message that names the image's real size.

Wagtail's field reads an image's size through Pillow, which refuses to open an image of more than twice
`PIL.Image.MAX_IMAGE_PIXELS` (a decompression bomb) before telling its size, so Wagtail can only say "(unknown
number)". The size is in the image's header: it is read here with Pillow's format plugins directly, which parse the
header and decode nothing, so the message can say how many pixels the image has and what the limit is.
"""

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from wagtail.images.fields import WagtailImageField

from PIL import Image


def header_size(file) -> tuple[int, int] | None:
    """(width, height) from an image file's header, decoding no pixel; None when no Pillow format recognises it."""
    Image.init()
    file.seek(0)
    prefix = file.read(16)
    try:
        for format_id in Image.ID:
            factory, accept = Image.OPEN[format_id]
            accepted = accept(prefix) if accept else True
            if isinstance(accepted, str) or not accepted:  # a string is Pillow's warning, not a match
                continue
            file.seek(0)
            try:
                image = factory(file, "")  # Image.open() without its decompression-bomb check: header only
            except (SyntaxError, IndexError, TypeError, ValueError, OSError, EOFError):
                continue
            return image.size
        return None
    finally:
        file.seek(0)


def _count(value: int) -> str:
    return number_format(value, force_grouping=True)


class PixelLimitedImageField(WagtailImageField):
    """Wagtail's image field; an image over `WAGTAILIMAGES_MAX_IMAGE_PIXELS` (all frames together, as Wagtail
    counts) is refused with its real pixel count and dimensions and the limit."""

    def pixel_limit(self) -> int:
        pillow_limit = 2 * Image.MAX_IMAGE_PIXELS if Image.MAX_IMAGE_PIXELS else None
        limits = [limit for limit in (self.max_image_pixels, pillow_limit) if limit]
        return min(limits) if limits else 0

    def too_many_pixels(self, *, pixels: int, width: int, height: int, frames: int = 1) -> ValidationError:
        if frames > 1:
            message = _(
                "Gambar ini terlalu besar: %(pixels)s piksel (%(width)s × %(height)s, %(frames)s bingkai). "
                "Batasnya %(limit)s piksel."
            )
        else:
            message = _(
                "Gambar ini terlalu besar: %(pixels)s piksel (%(width)s × %(height)s). Batasnya %(limit)s piksel."
            )
        values = {
            "pixels": _count(pixels),
            "width": _count(width),
            "height": _count(height),
            "frames": _count(frames),
            "limit": _count(self.pixel_limit()),
        }
        return ValidationError(message % values, code="file_too_many_pixels")

    def check_image_pixel_size(self, f):
        limit = self.pixel_limit()
        size = header_size(f)
        if size is not None and limit:
            width, height = size
            if width * height > limit:  # already one frame is over: nothing more is read
                raise self.too_many_pixels(pixels=width * height, width=width, height=height)
        try:
            width, height = f.image.get_size()
            frames = f.image.get_frame_count()
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            # The header could not be read above, but Pillow still found the image too large.
            raise ValidationError(
                _("Gambar ini terlalu besar untuk dibuka. Batasnya %(limit)s piksel.") % {"limit": _count(limit)},
                code="file_too_many_pixels",
            ) from None
        if self.max_image_pixels is not None and width * height * frames > self.max_image_pixels:
            raise self.too_many_pixels(pixels=width * height * frames, width=width, height=height, frames=frames)
