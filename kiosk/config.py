"""Kiosk configuration: every key declared once (type, default, one-line description), layered TOML
files, a versioned format upgraded by code, and errors that name the key, the file and the line.

Layers, later wins: ``config/default.toml`` → the site file (``/etc/station-kiosk/kiosk.toml`` or
``$KIOSK_CONFIG``) → local overrides written by the technician screens (``<data_dir>/local.toml``).
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import ErrorDetails

# The kiosk uses no pydantic plugins; looking for them reads every installed package's metadata when
# the first model below is built, a tenth of a second at each start.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

CONFIG_VERSION = 2
REPO_DEFAULTS = Path(__file__).resolve().parent.parent / "config" / "default.toml"
SITE_FILE = Path("/etc/station-kiosk/kiosk.toml")
LOCAL_FILE_NAME = "local.toml"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class StationConfig(_Section):
    id: str = Field("demo-station", description="Station id as known to the cloud", min_length=1)
    name: str = Field("城中区新时代文明实践站", description="Station name shown on screens and receipts")
    role: Literal["ordering", "redemption"] = Field(
        "ordering", description="What this machine is: ordering (点单机) or redemption (礼品兑换机)"
    )
    hotline: str = Field("0971-0000000", description="Station phone number printed on receipts")


class UiConfig(_Section):
    language: Literal["zh_CN", "en"] = Field("zh_CN", description="Language shown after each reset")
    elderly_mode: bool = Field(False, description="Start in elderly mode (larger text, high contrast)")
    fullscreen: bool = Field(True, description="Fullscreen with a hidden cursor (kiosk run)")
    idle_timeout_s: int = Field(
        90, ge=10, le=3600, description="Seconds without a touch before the 'are you still there?' prompt"
    )
    idle_warning_s: int = Field(
        20, ge=3, le=300, description="Seconds the idle countdown runs before going back home"
    )
    done_screen_s: int = Field(30, ge=5, le=600, description="Seconds a finished screen stays before home")


class CloudConfig(_Section):
    url: str = Field(
        "",
        description="Base URL of the cloud service; empty runs the embedded reference service (demo only)",
        pattern=r"^(|https?://\S+)$",
    )
    connect_timeout_s: float = Field(3.0, gt=0, le=60, description="TCP connect timeout per request")
    read_timeout_s: float = Field(10.0, gt=0, le=120, description="Read timeout per request")
    heartbeat_s: int = Field(30, ge=5, le=3600, description="Seconds between heartbeats")


class PrinterConfig(_Section):
    kind: Literal["image", "usb", "serial", "network", "file", "none"] = Field(
        "none", description="Printer connection: image (PNG files), usb, serial, network, file, none"
    )
    paper_mm: Literal[58, 80] = Field(80, description="Paper width in millimetres (58 → 384, 80 → 576 dots)")
    text_mode: Literal["native", "image"] = Field(
        "native", description="native: printer's Chinese font (FS &); image: everything as raster"
    )
    qr_mode: Literal["native", "raster"] = Field("native", description="QR as GS ( k commands or as raster")
    usb_vendor_id: int = Field(0x0416, ge=0, le=0xFFFF, description="USB vendor id")
    usb_product_id: int = Field(0x5011, ge=0, le=0xFFFF, description="USB product id")
    usb_in_ep: int = Field(0x81, ge=0, le=0xFF, description="USB IN endpoint")
    usb_out_ep: int = Field(0x03, ge=0, le=0xFF, description="USB OUT endpoint")
    serial_port: str = Field("/dev/ttyUSB0", description="Serial device (prefer /dev/serial/by-id/...)")
    baudrate: int = Field(9600, ge=1200, le=921600, description="Serial baud rate")
    host: str = Field("192.0.2.10", description="Network printer host (raw port)")
    port: int = Field(9100, ge=1, le=65535, description="Network printer port")
    device_path: str = Field("/dev/usb/lp0", description="Device node or file for kind=file")
    image_dir: str = Field("", description="Where the image printer writes PNGs; empty: <data_dir>/receipts")
    status_timeout_s: float = Field(0.3, gt=0, le=5, description="How long a status query may wait")


class ScannerConfig(_Section):
    kind: Literal["camera", "keyboard", "serial", "simulated", "none"] = Field(
        "none", description="Code scanner: camera, keyboard (USB wedge), serial, simulated, none"
    )
    camera: str = Field("0", description="Camera index or device path")
    camera_width: int = Field(640, ge=160, le=3840, description="Camera capture width")
    camera_height: int = Field(480, ge=120, le=2160, description="Camera capture height")
    serial_port: str = Field("/dev/ttyACM0", description="Serial scanner device")
    baudrate: int = Field(9600, ge=1200, le=921600, description="Serial scanner baud rate")
    keyboard_prefix: str = Field("", description="Characters the wedge scanner sends before a code")
    keyboard_suffix: str = Field("\r", description="Characters the wedge scanner sends after a code")
    keyboard_max_gap_ms: int = Field(
        35, ge=5, le=500, description="Longest gap between keys that still counts as one scanner burst"
    )
    evdev_device: str = Field("", description="Grab this input device exclusively (Linux); empty: off")
    dedup_window_s: float = Field(
        2.0, ge=0, le=60, description="The same code within this many seconds is delivered once"
    )


class RedemptionConfig(_Section):
    offline_enabled: bool = Field(False, description="Allow redemptions while the cloud is unreachable")
    offline_member_cap: int = Field(200, ge=0, description="Offline points per member; 0 means no cap")
    offline_kiosk_cap: int = Field(2000, ge=0, description="Offline points per kiosk in total; 0: no cap")
    offline_max_hours: float = Field(
        24, ge=0, description="Offline only within this many hours of the last sync; 0: no limit"
    )


class TechnicianConfig(_Section):
    session_timeout_s: int = Field(300, ge=30, le=7200, description="Technician mode ends after idling")
    long_press_s: float = Field(5.0, ge=1, le=30, description="Hold the corner this long to open the PIN")


class StorageConfig(_Section):
    data_dir: str = Field(
        "", description="Where the database, receipts and logs live; empty: ~/.local/share/station-kiosk"
    )


class LoggingConfig(_Section):
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field("INFO", description="Log level")
    max_bytes: int = Field(5_000_000, ge=10_000, description="Rotate the log file at this size")
    backups: int = Field(5, ge=0, le=100, description="Rotated log files kept")


class KioskConfig(_Section):
    config_version: int = Field(CONFIG_VERSION, description="Format version of this file")
    station: StationConfig = Field(default_factory=StationConfig)
    ui: UiConfig = Field(default_factory=UiConfig)
    cloud: CloudConfig = Field(default_factory=CloudConfig)
    printer: PrinterConfig = Field(default_factory=PrinterConfig)
    scanner: ScannerConfig = Field(default_factory=ScannerConfig)
    redemption: RedemptionConfig = Field(default_factory=RedemptionConfig)
    technician: TechnicianConfig = Field(default_factory=TechnicianConfig)
    storage: StorageConfig = Field(default_factory=StorageConfig)
    logging: LoggingConfig = Field(default_factory=LoggingConfig)

    def data_path(self) -> Path:
        raw = self.storage.data_dir or "~/.local/share/station-kiosk"
        return Path(raw).expanduser()


class ConfigError(Exception):
    """A config file that cannot be used; the message names the key, file, line and what is allowed."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


# --- upgrades -------------------------------------------------------------------------------------


def _upgrade_1_to_2(raw: dict[str, Any]) -> dict[str, Any]:
    # Version 1 kept the role and idle timeout at the top level, as `mode` and `idle_timeout`.
    out = dict(raw)
    if "mode" in out:
        out.setdefault("station", {})["role"] = out.pop("mode")
    if "idle_timeout" in out:
        out.setdefault("ui", {})["idle_timeout_s"] = out.pop("idle_timeout")
    return out


UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _upgrade_1_to_2}


def upgrade(raw: dict[str, Any], origin: str) -> dict[str, Any]:
    version = raw.get("config_version", CONFIG_VERSION)
    if not isinstance(version, int) or version < 1 or version > CONFIG_VERSION:
        raise ConfigError(
            [f"{origin}: config_version = {version!r} is not supported (allowed: 1 to {CONFIG_VERSION})"]
        )
    while version < CONFIG_VERSION:
        raw = UPGRADES[version](raw)
        version += 1
        raw["config_version"] = version
    return raw


# --- loading --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Layer:
    path: Path
    data: dict[str, Any]


def _find_line(path: Path, dotted: tuple[str, ...]) -> int | None:
    """Best-effort line of ``key = ...`` inside its ``[section]`` (tomllib keeps no positions)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    section, key = (".".join(dotted[:-1]), dotted[-1]) if len(dotted) > 1 else ("", dotted[0])
    current = ""
    key_re = re.compile(rf"^\s*\"?{re.escape(key)}\"?\s*=")
    for number, line in enumerate(lines, start=1):
        header = re.match(r"^\s*\[([^\]]+)\]", line)
        if header:
            current = header.group(1).strip()
            continue
        if current == section and key_re.match(line):
            return number
    return None


def read_layer(path: Path) -> Layer:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError([f"{path}: file not found"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([f"{path}: cannot be read ({exc})"]) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([f"{path}: not valid TOML: {exc}"]) from None
    return Layer(path, upgrade(data, str(path)))


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _allowed(error: ErrorDetails) -> str:
    ctx: dict[str, Any] = error.get("ctx") or {}
    if "expected" in ctx:
        return f"allowed: {ctx['expected']}"
    bounds = [f"{name} {ctx[key]}" for key, name in (("ge", "≥"), ("gt", ">"), ("le", "≤"), ("lt", "<"))
              if key in ctx]
    if bounds:
        return "allowed: " + ", ".join(bounds)
    if error["type"] == "extra_forbidden":
        return "unknown key (see `kiosk config show` for the keys there are)"
    return error["msg"]


def _validate(merged: dict[str, Any], layers: list[Layer]) -> KioskConfig:
    try:
        return KioskConfig.model_validate(merged)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            dotted = tuple(str(p) for p in error["loc"])
            origin = "defaults"
            for layer in reversed(layers):
                if _lookup(layer.data, dotted) is not _MISSING:
                    line = _find_line(layer.path, dotted)
                    origin = f"{layer.path}" + (f":{line}" if line else "")
                    break
            value = _lookup(merged, dotted)
            shown = "" if value is _MISSING else f" = {value!r}"
            problems.append(f"{origin}: {'.'.join(dotted)}{shown}: {_allowed(error)}")
        raise ConfigError(problems) from None


_MISSING = object()


def _lookup(data: dict[str, Any], dotted: tuple[str, ...]) -> Any:
    node: Any = data
    for part in dotted:
        if not isinstance(node, dict) or part not in node:
            return _MISSING
        node = node[part]
    return node


@dataclass(frozen=True)
class LoadedConfig:
    config: KioskConfig
    layers: tuple[Layer, ...]
    local_file: Path

    def source_of(self, dotted: str) -> str:
        """Which file set a key (the last layer that has it), or "built-in default"."""
        parts = tuple(dotted.split("."))
        for layer in reversed(self.layers):
            if _lookup(layer.data, parts) is not _MISSING:
                return str(layer.path)
        return "built-in default"


def site_file() -> Path:
    return Path(os.environ.get("KIOSK_CONFIG", str(SITE_FILE)))


def load(
    site: Path | None = None,
    *,
    defaults: Path = REPO_DEFAULTS,
    local: Path | None = None,
    require_site: bool = False,
    overrides: dict[str, Any] | None = None,
) -> LoadedConfig:
    """Load and validate the layered configuration.

    ``overrides`` (from the command line, e.g. the demo's temporary data dir) sit on top of everything.
    """
    layers: list[Layer] = []
    if defaults.exists():
        layers.append(read_layer(defaults))
    site = site or site_file()
    if site.exists():
        layers.append(read_layer(site))
    elif require_site:
        raise ConfigError([f"{site}: file not found (create it from config/station.example.toml)"])
    merged: dict[str, Any] = {}
    for layer in layers:
        merged = _merge(merged, layer.data)
    if overrides:
        merged = _merge(merged, overrides)
    # The local file lives in the data dir, which the layers below it decide.
    if local is None:
        local = _validate(merged, layers).data_path() / LOCAL_FILE_NAME
    if local.exists():
        layer = read_layer(local)
        layers.append(layer)
        merged = _merge(merged, layer.data)
        if overrides:
            merged = _merge(merged, overrides)
    return LoadedConfig(_validate(merged, layers), tuple(layers), local)


def check_file(path: Path) -> KioskConfig:
    """Validate one file on its own, over the built-in defaults."""
    layer = read_layer(path)
    return _validate(layer.data, [layer])


def iter_keys(model: type[BaseModel] = KioskConfig, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """(dotted key, field info) for every leaf key, in declaration order."""
    for name, info in model.model_fields.items():
        annotation = info.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            yield from iter_keys(annotation, f"{prefix}{name}.")
        else:
            yield f"{prefix}{name}", info


def value_of(config: KioskConfig, dotted: str) -> Any:
    node: Any = config
    for part in dotted.split("."):
        node = getattr(node, part)
    return node


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    escaped = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\r", "\\r").replace("\n", "\\n")
    return f'"{escaped}"'


def render_toml(data: dict[str, Any]) -> str:
    """Serialise a two-level dict (top-level scalars, then sections) as TOML."""
    lines = [f"{k} = {_toml_value(v)}" for k, v in data.items() if not isinstance(v, dict)]
    for section, values in data.items():
        if isinstance(values, dict):
            lines.append(f"\n[{section}]")
            lines.extend(f"{k} = {_toml_value(v)}" for k, v in values.items())
    return "\n".join(lines) + "\n"


def render_defaults() -> str:
    """The documented default file: every key, its default and its description."""
    out = [
        "# Station kiosk defaults — generated by `kiosk config defaults`; do not edit by hand.",
        "# Put site settings in /etc/station-kiosk/kiosk.toml (see config/*.example.toml).",
        f"config_version = {CONFIG_VERSION}",
    ]
    section = ""
    for dotted, info in iter_keys():
        if "." not in dotted:
            continue
        head, key = dotted.rsplit(".", 1)
        if head != section:
            section = head
            out.append(f"\n[{section}]")
        out.append(f"# {info.description}")
        out.append(f"{key} = {_toml_value(info.get_default(call_default_factory=True))}")
    return "\n".join(out) + "\n"


def write_local(path: Path, changes: dict[str, Any]) -> None:
    """Merge ``changes`` into the local override file atomically (write, fsync, rename)."""
    current: dict[str, Any] = {}
    if path.exists():
        current = read_layer(path).data
    merged = _merge(current, changes)
    merged["config_version"] = CONFIG_VERSION
    _validate(merged, [Layer(path, merged)])
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(render_toml(merged))
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
