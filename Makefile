# Station kiosk — set-up, demo, tests. `make demo` and `make test` set everything up first.
SHELL := /bin/bash
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Every Python package at an exact version with its hashes, compiled from pyproject.toml by `make lock`.
LOCK := requirements.lock
# The app's run-time libraries, then what the tests use: PostgreSQL for the cloud's PostgreSQL variants,
# shellcheck and udev for the deploy checks, a font with the rare hanzi the CJK font lacks (䶮).
DEBIAN_PACKAGES := fonts-wqy-microhei libzbar0 libpulse0 libegl1 libgl1 libxkbcommon0 \
	libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0 \
	libfontconfig1 libdbus-1-3 xvfb xauth \
	postgresql shellcheck udev fonts-droid-fallback

.PHONY: setup system-packages udevadm-verify demo test lint lock screenshots bench i18n clean

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

# The deploy tests check deploy/udev with `udevadm verify` (systemd >= 253); Debian 12's udev is 252.
# There the venv gets udevadm from the release's backports, unpacked with its library into the venv
# and run through a wrapper in $(VENV)/bin; the system's own udev is left alone.
UDEV_BACKPORT := $(abspath $(VENV))/udev-backport
udevadm-verify:
	@if ! udevadm verify --help >/dev/null 2>&1 && ! test -x $(VENV)/bin/udevadm; then \
		codename=$$(. /etc/os-release && echo "$$VERSION_CODENAME"); apt=$(UDEV_BACKPORT)/apt; \
		mirror=$$(apt-get indextargets --format '$$(REPO_URI) $$(RELEASE)' | awk -v r="$$codename" '$$2 == r {print $$1; exit}'); \
		opts="-qq -o Dir::State::Lists=$$apt/lists -o Dir::Etc::SourceList=$$apt/sources.list \
			-o Dir::Etc::SourceParts=/nonexistent -o Dir::Cache=$$apt -o APT::Sandbox::User=root"; \
		mkdir -p "$$apt/lists/partial" && echo "deb $$mirror $$codename-backports main" > "$$apt/sources.list" && \
		apt-get $$opts update && (cd "$$apt" && apt-get $$opts download udev/$$codename-backports \
			libsystemd-shared/$$codename-backports) && \
		for deb in "$$apt"/*.deb; do dpkg-deb -x "$$deb" $(UDEV_BACKPORT); done && \
		lib=$$(dirname "$$(find $(UDEV_BACKPORT) -name 'libsystemd-shared-*.so' | head -1)") && \
		printf '#!/bin/sh\nLD_LIBRARY_PATH=%s exec %s "$$@"\n' "$$lib" $(UDEV_BACKPORT)/bin/udevadm > $(VENV)/bin/udevadm && \
		chmod +x $(VENV)/bin/udevadm && $(VENV)/bin/udevadm verify --help >/dev/null && rm -rf "$$apt" || \
		{ rm -f $(VENV)/bin/udevadm; echo "no udevadm with 'verify' for $$codename: the udev rules check will be skipped"; }; \
	fi

$(STAMP): pyproject.toml $(LOCK)
	$(MAKE) system-packages
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(MAKE) udevadm-verify
	$(PY) -m pip install -q --require-hashes -r $(LOCK)
	$(PY) -m pip install -q --no-deps --no-build-isolation -e .
	touch $(STAMP)

# Re-resolve $(LOCK) from pyproject.toml: every extra, the build backend, for any platform and Python
# >= 3.11. Pins already in the lock are kept unless asked: make lock UPGRADE="-P pillow" (one package),
# make lock UPGRADE=-U (all). Needs only a venv with uv, so it also runs when the lock does not install.
lock:
	test -x $(VENV)/bin/uv || { test -x $(PY) || $(PYTHON) -m venv $(VENV); $(PY) -m pip install -q uv; }
	$(PY) -c 'import tomllib; print(*tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"], sep="\n")' \
		| $(VENV)/bin/uv pip compile -q pyproject.toml - --all-extras --universal --python-version 3.11 \
			--generate-hashes --custom-compile-command "make lock" $(UPGRADE) -o $(LOCK)

translations: $(STAMP)
	$(PY) -c "from ui.i18n import compile_translations; compile_translations()"

demo: setup
	@if [ -z "$$DISPLAY$$WAYLAND_DISPLAY" ]; then \
		echo "No display here: running the demo on a virtual screen (xvfb-run)."; \
		echo "To see the screens without a display, run: make screenshots"; \
		xvfb-run -a -s "-screen 0 1280x1400x24" $(VENV)/bin/kiosk demo $(ARGS); \
	else $(VENV)/bin/kiosk demo $(ARGS); fi

# With a throwaway PostgreSQL cluster for the cloud's PostgreSQL variants (unless
# KIOSK_CLOUD_TEST_POSTGRES already names a database).
test: setup
	$(PY) -m tests.pgcluster $(VENV)/bin/pytest -q $(PYTEST_ARGS)

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
