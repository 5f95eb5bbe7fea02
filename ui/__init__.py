"""The Qt Quick user interface: QML screens and the Python bridge to them.

View models exposed to QML, image providers (generated QR codes, camera preview) and the single place
that marshals worker-thread events onto the GUI thread. Imports ``kiosk``, and ``drivers`` only through
their factories. Qt is imported through :mod:`ui.qt`.
"""
