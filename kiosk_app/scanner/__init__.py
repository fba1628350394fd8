"""The camera QR scanner for appointment check-in: OpenCV capture on a worker thread, zbar decoding
on a grey frame, the preview as a buffer for one reused Kivy texture. No Kivy here: the check-in
screen owns the texture and gets results through the scheduler it passes in."""

from .appointment_qr import QrRead, appointment_code, read_appointment_qr
from .camera import Frame, Source
from .decoding import qr_texts
from .qr_scanner import AtEnd, QrScanner, ScannerStatus

__all__ = ["AtEnd", "Frame", "QrRead", "QrScanner", "ScannerStatus", "Source", "appointment_code", "qr_texts",
           "read_appointment_qr"]
