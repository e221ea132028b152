"""One settings object per data directory, built once and passed explicitly.

Everything a command, a build or a page needs to know about *where* and *under
which rules* it works comes from the data directory: its folders, its region
(its own ``reference/`` or the project's), the privacy threshold, and the
configuration files analysts edit (the data directory's own copy, else the
project's). :meth:`Settings.from_data_dir` reads and checks them once; nothing
falls back to a path relative to the working directory, so a notebook run
from ``notebooks/``, a kernel of the build and a command all see the same
rules.

``privacy.yaml`` keys: ``min_group_size`` (an integer of at least 3; default 5).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from tilannekuva.errors import ConfigError
from tilannekuva.paths import DataLayout
from tilannekuva.yamlfile import key_lines, parse_yaml

if TYPE_CHECKING:
    from tilannekuva.questionnaire import Questionnaire
    from tilannekuva.region import Region

PRIVACY_FILE = "config/privacy.yaml"
QUESTIONNAIRE_FILE = "config/questionnaire.yaml"
THEMES_FILE = "config/themes.yaml"
KNOWLEDGE_BASE_FILE = "config/knowledge_base.yaml"
QUOTE_EXCLUSIONS_FILE = "config/quote_exclusions.yaml"
DEFAULT_MIN_GROUP_SIZE = 5
LOWEST_MIN_GROUP_SIZE = 3  # below this no suppression protects anyone


@dataclass(frozen=True)
class PrivacySettings:
    """Disclosure control settings (privacy.md §3), from ``config/privacy.yaml``."""

    min_group_size: int
    file: Path

    @classmethod
    def read(cls, path: Path) -> PrivacySettings:
        if not path.exists():
            return cls(DEFAULT_MIN_GROUP_SIZE, path)
        text = path.read_text(encoding="utf-8")
        spec = parse_yaml(text, path)
        if spec is None:
            return cls(DEFAULT_MIN_GROUP_SIZE, path)
        if not isinstance(spec, dict):
            raise ConfigError(f"{path}: expected keys such as 'min_group_size: 5'")
        lines = key_lines(text)
        unknown = sorted(set(spec) - {"min_group_size"})
        if unknown:
            key = unknown[0]
            raise ConfigError(
                f"{path}: line {lines.get(str(key), '?')}: unknown key '{key}' "
                "(expected 'min_group_size')"
            )
        value = spec.get("min_group_size", DEFAULT_MIN_GROUP_SIZE)
        if isinstance(value, bool) or not isinstance(value, int) or value < LOWEST_MIN_GROUP_SIZE:
            raise ConfigError(
                f"{path}: line {lines.get('min_group_size', '?')}: key 'min_group_size': "
                f"value {value!r}: expected a whole number of at least {LOWEST_MIN_GROUP_SIZE}"
            )
        return cls(value, path)


@dataclass(frozen=True)
class Settings:
    """The rules and files of one data directory (see the module's docstring)."""

    layout: DataLayout
    region: Region
    privacy: PrivacySettings

    @classmethod
    def from_data_dir(cls, data_dir: Path | str) -> Settings:
        from tilannekuva.region import region_of

        layout = DataLayout.at(data_dir)
        region = region_of(layout)
        privacy = PrivacySettings.read(layout.config_file(PRIVACY_FILE))
        return cls(layout, region, privacy)

    @property
    def data_dir(self) -> Path:
        return self.layout.root

    @property
    def min_group_size(self) -> int:
        """The small-cell threshold: no figure whose own n is below it is shown."""
        return self.privacy.min_group_size

    def config_file(self, relative: str) -> Path:
        return self.layout.config_file(relative)

    @property
    def questionnaire_file(self) -> Path:
        return self.config_file(QUESTIONNAIRE_FILE)

    @property
    def themes_file(self) -> Path:
        return self.config_file(THEMES_FILE)

    @property
    def knowledge_base_file(self) -> Path:
        return self.config_file(KNOWLEDGE_BASE_FILE)

    @property
    def quote_exclusions_file(self) -> Path:
        return self.config_file(QUOTE_EXCLUSIONS_FILE)

    @cached_property
    def questionnaire(self) -> Questionnaire:
        from tilannekuva.questionnaire import load_questionnaire

        return load_questionnaire(self.questionnaire_file)
