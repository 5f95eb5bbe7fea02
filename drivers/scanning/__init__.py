"""Code scanners: camera (zxing-cpp, pyzbar), USB keyboard wedge, serial, simulated, and none.

Build one with :func:`make_scanner` from :class:`kiosk.config.ScannerConfig`; every kind implements
:class:`kiosk.devices.Scanner` and delivers normalised, de-duplicated :class:`kiosk.devices.ScanEvent` s.
Only the light modules are imported here, so a kiosk without OpenCV or pyserial still starts.
"""

from drivers.scanning.base import Delivery, ScannerIssue, issue_of
from drivers.scanning.factory import NullScanner, make_scanner, open_scanner

__all__ = ["Delivery", "NullScanner", "ScannerIssue", "issue_of", "make_scanner", "open_scanner"]
