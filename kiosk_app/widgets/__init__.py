"""The kiosk's own widgets; ``widgets.kv`` gives them the theme's look. Import this package before a
screen's .kv file is loaded."""

from pathlib import Path

from kivy.factory import Factory
from kivy.lang import Builder

from . import shaped_extents
from .buttons import KioskButton, Tile, ToggleChip
from .camera import CameraPreview
from .icons import Icon
from .keypad import Key, Keypad
from .layout import DirectionalBox, Reveal
from .qr import QrCode
from .words import Words

for _cls in (CameraPreview, KioskButton, Tile, ToggleChip, Icon, Key, Keypad, DirectionalBox, QrCode, Reveal, Words):
    Factory.register(_cls.__name__, cls=_cls)

shaped_extents.install()  # right-to-left lines measured as drawn (see the module)

KV = Path(__file__).with_name("widgets.kv")
if str(KV) not in Builder.files:
    Builder.load_file(str(KV))

__all__ = ["CameraPreview", "DirectionalBox", "Icon", "Key", "Keypad", "KioskButton", "QrCode", "Reveal", "Tile",
           "ToggleChip", "Words"]
