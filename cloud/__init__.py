"""The reference cloud service that kiosks sync with: an HTTP API (``/v1``) with its own database and
an admin command line for the platform side.

Runs embedded (demo, tests) or stand-alone for a district. Shares nothing with the kiosk but the wire
contract; must not import ``ui`` or ``drivers``.
"""
