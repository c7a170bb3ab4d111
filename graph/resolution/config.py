"""Weights and thresholds of resolution: one YAML file with documented defaults (``defaults.yaml``)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

import yaml

from graph.errors import GraphError

DEFAULTS = Path(__file__).with_name("defaults.yaml")


class ConfigError(GraphError):
    """A resolution config file that cannot be used."""


@dataclass(frozen=True)
class Kind:
    name: str
    weight: float
    typical: int
    hub: int
    floor: float
    label: str

    def weight_for(self, shared_by: int) -> float:
        """The weight of one pivot of this kind shared by ``shared_by`` storefronts (hubs: 0)."""
        if shared_by > self.hub:
            return 0.0
        if shared_by <= self.typical:
            return self.weight
        fall = math.log(shared_by / self.typical) / math.log(self.hub / self.typical)
        return self.weight * (1 - (1 - self.floor) * fall)


@dataclass(frozen=True)
class Config:
    kinds: Mapping[str, Kind]
    hub_weight: float
    name_weight: float
    name_min_ratio: float
    accept: float
    review: float
    pair_limit: int
    bridge_min_shared: int
    bridge_groups: int
    path: str

    def band(self, score: float) -> str:
        return "accepted" if score >= self.accept else "review" if score >= self.review else "rejected"


def _number(data: Mapping, key: str, where: str, lo: float = 0.0, hi: float = 1.0) -> float:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not lo <= value <= hi:
        raise ConfigError(f"{where}.{key}: expected a number from {lo:g} to {hi:g}, got {value!r}")
    return float(value)


def _merge(base: dict, override: Mapping) -> dict:
    out = dict(base)
    for k, v in override.items():
        out[k] = _merge(base[k], v) if isinstance(v, Mapping) and isinstance(base.get(k), Mapping) else v
    return out


def load_config(path: Path | None = None) -> Config:
    """The defaults, with the values of ``path`` (same layout, any subset) laid over them."""
    data = yaml.safe_load(DEFAULTS.read_text(encoding="utf-8"))
    shown = str(DEFAULTS)
    if path is not None:
        shown = str(path)
        try:
            override = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        except OSError as exc:
            raise ConfigError(f"{path}: cannot read ({exc.strerror})") from None
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            place = f"line {mark.line + 1}" if mark else "?"
            raise ConfigError(f"{path}: {place}: not valid YAML") from None
        if not isinstance(override, Mapping):
            raise ConfigError(f"{path}: expected a mapping of settings")
        unknown = set(override) - set(data)
        if unknown:
            raise ConfigError(f"{path}: unknown setting {sorted(unknown)[0]!r} (known: {', '.join(sorted(data))})")
        unknown_kinds = set(override.get("kinds") or {}) - set(data["kinds"])
        if unknown_kinds:
            raise ConfigError(f"{path}: kinds.{sorted(unknown_kinds)[0]}: unknown kind "
                              f"(known: {', '.join(data['kinds'])})")
        data = _merge(data, override)
    kinds = {}
    for name, spec in data["kinds"].items():
        where = f"{shown}: kinds.{name}"
        typical, hub = spec.get("typical"), spec.get("hub")
        if not isinstance(typical, int) or not isinstance(hub, int) or not 2 <= typical <= hub:
            raise ConfigError(f"{where}: typical and hub must be whole numbers with 2 <= typical <= hub")
        kinds[name] = Kind(name, _number(spec, "weight", where), typical, hub, _number(spec, "floor", where),
                           str(spec.get("label", name)))
    bands = data["bands"]
    accept = _number(bands, "accept", f"{shown}: bands")
    review = _number(bands, "review", f"{shown}: bands", hi=accept)
    pair_limit = data.get("pair_limit")
    if not isinstance(pair_limit, int) or pair_limit < 2:
        raise ConfigError(f"{shown}: pair_limit: expected a whole number >= 2")
    bridge = data["bridge"]
    if not all(isinstance(bridge.get(k), int) and bridge[k] >= 2 for k in ("min_shared", "groups")):
        raise ConfigError(f"{shown}: bridge: min_shared and groups must be whole numbers >= 2")
    names = data["name_similarity"]
    return Config(MappingProxyType(kinds), _number(data, "hub_weight", shown),
                  _number(names, "weight", f"{shown}: name_similarity"),
                  _number(names, "min_ratio", f"{shown}: name_similarity"), accept, review, pair_limit,
                  bridge["min_shared"], bridge["groups"], shown)
