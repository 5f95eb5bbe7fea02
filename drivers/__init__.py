"""Hardware drivers: receipt printers and code scanners.

Qt-free and thread-safe. Each device kind sits behind a protocol from :mod:`kiosk.devices`, with a
factory that builds it from config, a typed "missing" error, a simulated implementation (used by the
demo and the tests) and a Null fallback so the kiosk starts and says what is missing. May import
``kiosk``; must not import PySide6 or ``ui``.
"""
