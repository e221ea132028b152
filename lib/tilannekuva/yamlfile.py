"""Reading the YAML files analysts edit: one strict loader for all of them.

PyYAML keeps the last of two equal keys silently, so a pasted block can undo
an earlier setting without a word. Here a duplicate key is an error naming the
file, the line and the key, in every configuration file (questionnaire,
themes, knowledge base, privacy settings, page declarations, region). Dates
stay text (``keep_dates=False`` is the default), so a bad date such as
``2026-13-01`` is reported by the file's schema with its entry and field
instead of failing inside the YAML parser.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from tilannekuva.errors import ConfigError


class UniqueKeyLoader(yaml.SafeLoader):
    """A safe loader that refuses duplicate keys and leaves dates as text."""


UniqueKeyLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False):
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key '{key}'", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _where(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    return f"line {mark.line + 1}: " if mark is not None else ""


def _what(exc: yaml.YAMLError) -> str:
    problem = getattr(exc, "problem", None)
    context = getattr(exc, "context", None)
    text = " ".join(str(p) for p in (context, problem) if p) or str(exc).splitlines()[0]
    return text


def parse_yaml(text: str, path: Path | str) -> Any:
    """``text`` (the content of ``path``) as data; a ConfigError names the file and line."""
    try:
        return yaml.load(text, Loader=UniqueKeyLoader)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: {_where(exc)}{_what(exc)}") from exc


def load_yaml(path: Path | str, what: str = "file") -> Any:
    """The YAML file at ``path``; missing or unreadable files are a ConfigError naming it."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: {what} not found") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the {what}: {exc}") from exc
    return parse_yaml(text, path)


def key_lines(text: str) -> dict[str, int]:
    """The line (1-based) of each top-level key of a YAML mapping, for messages."""
    try:
        node = yaml.compose(text, Loader=UniqueKeyLoader)
    except yaml.YAMLError:
        return {}
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(k.value): k.start_mark.line + 1 for k, _ in node.value}
