"""QR codes in one camera frame: grey conversion, then zbar restricted to QR codes (faster, and no
product barcode on a wallet is mistaken for anything)."""

from __future__ import annotations

import cv2
import numpy as np
from pyzbar import pyzbar
from pyzbar.pyzbar import ZBarSymbol

_QR_ONLY = [ZBarSymbol.QRCODE]


def qr_texts(frame_bgr: np.ndarray) -> list[str]:
    """The texts of the QR codes in a camera frame (BGR, as OpenCV captures it), in zbar's order."""
    grey = cv2.cvtColor(frame_bgr, cv2.COLOR_BGR2GRAY)
    return [symbol.data.decode("utf-8", errors="replace") for symbol in pyzbar.decode(grey, symbols=_QR_ONLY)]
