"""Images in: the pixel count checked from the file's header before anything is decoded, then
decoded to grayscale and deskewed."""

from __future__ import annotations

import io
import warnings

import cv2
import numpy as np

from extractor.errors import LimitError, ReadError
from extractor.limits import MAX_IMAGE_PIXELS, MAX_IMAGE_SIDE

__all__ = ["check_size", "decode_image", "image_size", "ink", "rotate", "skew_angle"]

MAX_SKEW = 5.0  # degrees: a scanner's slant; a page turned further is not a slant


def image_size(data: bytes) -> tuple[int, int]:
    """(width, height) from the image's header only (Pillow's open() decodes nothing)."""
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as im:
                return im.size
    except Image.DecompressionBombError:
        raise LimitError(f"image larger than {MAX_IMAGE_PIXELS:,} pixels") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise ReadError(f"unreadable image: {' '.join(str(exc).split())}"[:200]) from None


def check_size(width: int, height: int) -> None:
    if width <= 0 or height <= 0:
        raise ReadError("unreadable image: no pixels")
    if width * height > MAX_IMAGE_PIXELS or max(width, height) > MAX_IMAGE_SIDE:
        raise LimitError(f"image of {width}×{height} pixels (limit {MAX_IMAGE_PIXELS:,} pixels, "
                         f"{MAX_IMAGE_SIDE:,} per side)")


def decode_image(data: bytes) -> np.ndarray:
    """A grayscale image from PNG/JPEG/GIF/BMP/WebP bytes; LimitError before decoding when its
    header announces too many pixels, ReadError for a file that does not decode."""
    width, height = image_size(data)
    check_size(width, height)
    img = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_GRAYSCALE)
    if img is None:  # a GIF, or a damaged file: Pillow reads what OpenCV does not
        from PIL import Image

        try:
            with Image.open(io.BytesIO(data)) as im:
                img = np.asarray(im.convert("L"))
        except (OSError, ValueError, SyntaxError) as exc:
            raise ReadError(f"unreadable image: {exc}"[:200]) from None
    if img.shape[1] * img.shape[0] > MAX_IMAGE_PIXELS:  # the header lied
        raise LimitError(f"image larger than {MAX_IMAGE_PIXELS:,} pixels")
    return img


def ink(gray: np.ndarray) -> np.ndarray:
    """Ink as 255 on 0, Otsu's threshold on the raw gray: no smoothing first, since a ruling line
    one pixel wide must survive (scanner specks are dropped later, by size: layout.py)."""
    _, binary = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return binary


def skew_angle(binary: np.ndarray) -> float:
    """The slant in degrees: the turn that makes the rows of ink sharpest (the variance of the
    horizontal projection is highest when text lines and ruling lines lie level)."""
    h, w = binary.shape
    scale = min(1.0, 800 / max(h, w))
    small = cv2.resize(binary, (max(1, int(w * scale)), max(1, int(h * scale))), interpolation=cv2.INTER_AREA)
    sh, sw = small.shape
    centre = (sw / 2, sh / 2)

    def sharpness(angle: float) -> float:
        turned = cv2.warpAffine(small, cv2.getRotationMatrix2D(centre, angle, 1.0), (sw, sh),
                                flags=cv2.INTER_NEAREST, borderValue=0)
        return float(np.var(turned.sum(axis=1, dtype=np.float64)))

    best = max(np.arange(-MAX_SKEW, MAX_SKEW + 1e-9, 0.5), key=sharpness)
    fine = max(np.arange(best - 0.5, best + 0.5 + 1e-9, 0.1), key=sharpness)
    return round(float(fine), 2)


def rotate(gray: np.ndarray, angle: float) -> np.ndarray:
    if abs(angle) < 0.05:
        return gray
    h, w = gray.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(gray, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)
