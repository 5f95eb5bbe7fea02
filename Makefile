# Station kiosk — set-up, demo, tests. `make demo` and `make test` set everything up first.
SHELL := /bin/bash
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEBIAN_PACKAGES := fonts-wqy-microhei libzbar0 libpulse0 libegl1 libgl1 libxkbcommon0 \
	libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0 \
	libfontconfig1 libdbus-1-3 xvfb xauth

.PHONY: setup system-packages demo test lint screenshots bench i18n clean

setup: $(STAMP) translations

# Debian/Ubuntu packages the app needs at run time; installs only what is missing.
system-packages:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null \
		| grep -q "ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing Debian packages: $$missing"; \
		sudo_cmd=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$sudo_cmd apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$sudo_cmd apt-get install -y -qq --no-install-recommends $$missing; \
	fi

$(STAMP): pyproject.toml
	$(MAKE) system-packages
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

translations: $(STAMP)
	$(PY) -c "from ui.i18n import compile_translations; compile_translations()"

demo: setup
	@if [ -z "$$DISPLAY$$WAYLAND_DISPLAY" ]; then \
		echo "No display here: running the demo on a virtual screen (xvfb-run)."; \
		echo "To see the screens without a display, run: make screenshots"; \
		xvfb-run -a -s "-screen 0 1280x1400x24" $(VENV)/bin/kiosk demo $(ARGS); \
	else $(VENV)/bin/kiosk demo $(ARGS); fi

test: setup
	$(VENV)/bin/pytest -q $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

screenshots: setup
	QT_QPA_PLATFORM=offscreen $(PY) docs/screenshots.py

bench: setup
	for b in $$(ls bench/*.py | grep -v "/_"); do m=$$(basename $$b .py); echo "== bench.$$m"; \
		$(PY) -m bench.$$m || exit 1; done

# After editing QML: collect new strings into the .ts, translate them, then `make setup`.
i18n: $(STAMP)
	$(PY) -m ui.i18n update

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache ui/i18n/*.qm
