"""Station kiosk core: domain types, flows (state machines), local store, sync engine, receipts,
tokens, config and the command line.

Nothing here imports PySide6 or a hardware library: ``ui/`` and ``drivers/`` depend on this package,
never the reverse. Devices are reached through the protocols in :mod:`kiosk.devices`, implemented in
``drivers/`` and handed in by the application object.
"""

__version__ = "0.1.0"
