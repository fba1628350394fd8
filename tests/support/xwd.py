"""Pictures of a whole X screen: ``xwd -root`` read into a Pillow image (Pillow does not read XWD).

XWD (X Window Dump, version 7): a big-endian header of 25 32-bit fields, the window's name, the
colour map (12 bytes an entry), then the pixels. X servers dump TrueColor screens of depth 24 as
ZPixmap with 24 or 32 bits a pixel; the header's byte order says in which order the colours come."""

from __future__ import annotations

import os
import struct
import subprocess

from PIL import Image

_HEADER = struct.Struct(">25I")
ZPIXMAP = 2


def screen_picture(display: str, timeout: float = 10.0) -> Image.Image:
    """What the X server ``display`` shows now, all of its root window."""
    dump = subprocess.run(["xwd", "-root", "-silent"], env={**os.environ, "DISPLAY": display},
                          capture_output=True, check=True, timeout=timeout).stdout
    return read_xwd(dump)


def read_xwd(data: bytes) -> Image.Image:
    fields = _HEADER.unpack_from(data)
    (header_size, version, pixmap_format, _depth, width, height, _xoffset, byte_order, _unit, _bit_order,
     _pad, bits_per_pixel, bytes_per_line, _visual, red_mask, green_mask, blue_mask, _bits_per_rgb,
     _map_entries, colours) = fields[:20]
    if version != 7 or pixmap_format != ZPIXMAP or bits_per_pixel not in (24, 32):
        raise ValueError(f"only 24- and 32-bit ZPixmap XWD version 7 is read (version {version}, format "
                         f"{pixmap_format}, {bits_per_pixel} bits a pixel)")
    if (red_mask, green_mask, blue_mask) != (0xFF0000, 0xFF00, 0xFF):
        raise ValueError("only screens with 8 bits of red, green and blue in that order are read")
    start = header_size + colours * 12
    pixels = data[start:start + bytes_per_line * height]
    lsb_first = byte_order == 0
    if bits_per_pixel == 32:
        mode, raw = "RGBX", ("BGRX" if lsb_first else "XRGB")
    else:
        mode, raw = "RGB", ("BGR" if lsb_first else "RGB")
    return Image.frombuffer(mode, (width, height), pixels, "raw", raw, bytes_per_line, 1).convert("RGB")
