#!/usr/bin/env bash
# Install or upgrade the station kiosk on Debian 12 / Ubuntu 24.04. Safe to run again: every step
# checks or overwrites, nothing is appended twice, and the data in /var/lib/station-kiosk is never
# touched. See docs/deploy.md.
#
#   sudo deploy/install.sh [--source DIR|WHEEL] [--skip-apt] [--dry-run]
#
#   --source    what to pip-install into the venv (default: this checkout)
#   --skip-apt  do not install Debian packages (offline re-install)
#   --dry-run   print what would be done, change nothing (needs no root)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CHECKOUT="$(dirname "$HERE")"
PREFIX=/opt/station-kiosk
VENV="$PREFIX/venv"
CONFIG_DIR=/etc/station-kiosk
KIOSK_USER=kiosk
UNIT=station-kiosk.service

APT_PACKAGES=(
    cage                 # the Wayland kiosk compositor
    python3 python3-venv # Python >= 3.11 (Debian 12: 3.11, Ubuntu 24.04: 3.12)
    libzbar0             # second QR decoder (pyzbar)
    libpulse0            # Qt Virtual Keyboard's Pinyin plugin needs it at run time
    libusb-1.0-0         # USB receipt printers (python-escpos through pyusb)
    fonts-wqy-microhei   # a CJK font for the screens and raster receipts
    libegl1 libgl1 libgles2 libxkbcommon0 libfontconfig1 libdbus-1-3
    libwayland-client0 libwayland-cursor0 libwayland-egl1
)

SOURCE="$CHECKOUT"
SKIP_APT=0
DRY_RUN=0

die() {
    echo "install.sh: $*" >&2
    exit 1
}

while [ $# -gt 0 ]; do
    case "$1" in
        --source) [ $# -ge 2 ] || die "--source needs a directory or wheel"; SOURCE="$2"; shift 2 ;;
        --skip-apt) SKIP_APT=1; shift ;;
        --dry-run) DRY_RUN=1; shift ;;
        -h | --help) sed -n '2,10p' "$0"; exit 0 ;;
        *) die "unknown option $1 (try --help)" ;;
    esac
done

# Every change goes through run, so --dry-run shows exactly what a real run does.
run() {
    printf "+"; printf " %q" "$@"; echo
    if [ "$DRY_RUN" -eq 0 ]; then
        "$@"
    fi
}

step() {
    echo
    echo "== $*"
}

[ "$DRY_RUN" -eq 1 ] || [ "$(id -u)" -eq 0 ] || die "run as root (sudo $0), or with --dry-run"
[ -e "$SOURCE" ] || die "--source $SOURCE does not exist"
for f in systemd/$UNIT pam/station-kiosk udev/70-station-kiosk.rules tmpfiles.d/station-kiosk.conf \
    journald/station-kiosk.conf; do
    [ -f "$HERE/$f" ] || die "missing $HERE/$f: run this script from a complete checkout"
done

if [ -r /etc/os-release ]; then
    # shellcheck disable=SC1091
    . /etc/os-release
    case "${ID:-}" in
        debian | ubuntu) ;;
        *) echo "warning: tested on Debian 12 and Ubuntu 24.04, this is ${PRETTY_NAME:-unknown}" >&2 ;;
    esac
fi

# Ubuntu 24.04 renamed some libraries in its 64-bit time_t transition (libfoo0 -> libfoo0t64).
resolve_package() {
    if apt-cache show "$1" >/dev/null 2>&1; then
        echo "$1"
    elif apt-cache show "${1}t64" >/dev/null 2>&1; then
        echo "${1}t64"
    else
        die "no package $1 (nor ${1}t64) in the apt sources; check /etc/apt/sources.list*"
    fi
}

if [ "$SKIP_APT" -eq 0 ]; then
    step "Debian packages"
    run env DEBIAN_FRONTEND=noninteractive apt-get update
    packages=()
    for name in "${APT_PACKAGES[@]}"; do
        packages+=("$(resolve_package "$name")")
    done
    run env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${packages[@]}"
fi

step "user $KIOSK_USER"
if getent passwd "$KIOSK_USER" >/dev/null; then
    echo "user $KIOSK_USER exists"
else
    run useradd --system --user-group --home-dir /var/lib/station-kiosk --no-create-home \
        --shell /usr/sbin/nologin --comment "Station kiosk" "$KIOSK_USER"
fi
for group in video render; do
    if getent group "$group" >/dev/null && ! id -nG "$KIOSK_USER" 2>/dev/null | tr ' ' '\n' | grep -qx "$group"; then
        run usermod -a -G "$group" "$KIOSK_USER"
    fi
done

step "directories"
run install -d -m 0755 "$PREFIX" "$CONFIG_DIR" /etc/systemd/journald.conf.d
run install -m 0644 "$HERE/tmpfiles.d/station-kiosk.conf" /etc/tmpfiles.d/station-kiosk.conf
run systemd-tmpfiles --create /etc/tmpfiles.d/station-kiosk.conf

# Stop a running kiosk before replacing its code; its queued orders stay in the SQLite store and
# are sent after the start below (the new version migrates the store first).
was_active=0
if systemctl is-active --quiet "$UNIT" 2>/dev/null; then
    was_active=1
    step "stopping the running kiosk"
    run systemctl stop "$UNIT"
fi

step "application in $VENV"
if [ ! -x "$VENV/bin/python" ]; then
    run python3 -m venv "$VENV"
fi
run "$VENV/bin/python" -m pip install --quiet --upgrade pip
run "$VENV/bin/python" -m pip install --quiet --upgrade "$SOURCE"
run ln -sfn "$VENV/bin/kiosk" /usr/local/bin/kiosk

step "site configuration"
if [ -e "$CONFIG_DIR/kiosk.toml" ]; then
    echo "$CONFIG_DIR/kiosk.toml exists, left as it is"
else
    run install -m 0644 "$CHECKOUT/config/station.example.toml" "$CONFIG_DIR/kiosk.toml"
fi

step "systemd, PAM, udev, journald"
run install -m 0644 "$HERE/systemd/$UNIT" "/etc/systemd/system/$UNIT"
run install -m 0644 "$HERE/pam/station-kiosk" /etc/pam.d/station-kiosk
run install -m 0644 "$HERE/udev/70-station-kiosk.rules" /etc/udev/rules.d/70-station-kiosk.rules
run install -m 0644 "$HERE/journald/station-kiosk.conf" /etc/systemd/journald.conf.d/station-kiosk.conf
run systemctl daemon-reload
run systemctl restart systemd-journald
run udevadm control --reload
run udevadm trigger --action=change --subsystem-match=usb --subsystem-match=usbmisc \
    --subsystem-match=tty --subsystem-match=video4linux --subsystem-match=input
run systemctl set-default graphical.target
run systemctl enable "$UNIT"

if [ "$was_active" -eq 1 ]; then
    step "starting the kiosk again"
    run systemctl start "$UNIT"
fi

step "done"
cat <<EOF
Next (docs/deploy.md):
  1. edit $CONFIG_DIR/kiosk.toml, then:  kiosk config check $CONFIG_DIR/kiosk.toml
  2. sudo -u $KIOSK_USER kiosk enrol <CODE>     (code from the platform)
  3. sudo -u $KIOSK_USER kiosk pin set
  4. sudo -u $KIOSK_USER kiosk doctor --print-test
  5. systemctl start $UNIT
EOF
