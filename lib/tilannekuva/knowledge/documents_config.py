"""``config/documents.yaml``: what the analyst says of a document, which wins over what it says.

Keys are the documents' file names (as ingested); every field is optional::

    documents:
      kumppanuuspoyta-muistio-2026-10-14.docx:
        title: Kumppanuuspöydän muistio 14.10.2026
        date: 2026-10-14
        kind: muistio          # muistio | lausunto | raportti | esitys | muu
        items: [i06_grants]    # always linked to these items or goals

Read with the strict YAML loader (a duplicate key is an error with its line);
a wrong field, kind, date or id is a ConfigError naming the file, the document
and the field. The file may be missing (nothing is set by hand then).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from tilannekuva.errors import ConfigError
from tilannekuva.paths import DataLayout
from tilannekuva.yamlfile import load_yaml

DOCUMENTS_FILE = "config/documents.yaml"
KINDS: tuple[str, ...] = ("muistio", "lausunto", "raportti", "esitys", "muu")
KIND_LABELS = {
    "muistio": "Muistio",
    "lausunto": "Lausunto",
    "raportti": "Raportti",
    "esitys": "Esitys",
    "muu": "Muu asiakirja",
}
DocumentKind = Literal["muistio", "lausunto", "raportti", "esitys", "muu"]


class DocumentSettings(BaseModel):
    """The analyst's word on one document."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    title: str | None = Field(default=None, min_length=1)
    date: dt.date | None = None
    kind: DocumentKind | None = None
    items: list[str] = Field(default_factory=list)

    @field_validator("date", mode="before")
    @classmethod
    def _date(cls, value: Any) -> Any:
        if value is None or isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value).strip())
        except ValueError as exc:
            raise ValueError("expected an ISO date (YYYY-MM-DD)") from exc


@dataclass(frozen=True)
class DocumentsConfig:
    documents: dict[str, DocumentSettings]
    source: str

    def get(self, file_name: str) -> DocumentSettings:
        return self.documents.get(file_name) or DocumentSettings()


def load_documents_config(layout: DataLayout, known_ids: set[str] | None = None) -> DocumentsConfig:
    """The data directory's ``documents.yaml`` (or the project's), checked; empty if missing.

    ``known_ids``: the knowledge base's item and goal ids, checked under ``items``.
    """
    path = layout.config_file(DOCUMENTS_FILE)
    if not path.exists():
        return DocumentsConfig({}, str(path))
    raw = load_yaml(path, "document settings") or {}
    if not isinstance(raw, dict) or set(raw) - {"documents"}:
        raise ConfigError(f"{path}: expected one section 'documents' (file name → settings)")
    written = raw.get("documents") or {}
    if not isinstance(written, dict):
        raise ConfigError(f"{path}: 'documents': expected a mapping of file name → settings")
    problems: list[str] = []
    documents: dict[str, DocumentSettings] = {}
    for name, body in written.items():
        try:
            settings = DocumentSettings.model_validate(body or {})
        except ValidationError as exc:
            for err in exc.errors():
                where = ".".join(str(p) for p in err["loc"]) or "(document)"
                value = err.get("input") if err["type"] != "missing" else None
                shown = f"value {value!r}: " if isinstance(value, str | int | float) else ""
                message = err["msg"].removeprefix("Value error, ")
                problems.append(f"{path}: document '{name}', field '{where}': {shown}{message}")
            continue
        if known_ids is not None:
            for item in settings.items:
                if item not in known_ids:
                    problems.append(
                        f"{path}: document '{name}', field 'items': value {item!r}: "
                        f"not an item or goal id of the knowledge base ({', '.join(sorted(known_ids))})"
                    )
        documents[str(name)] = settings
    if problems:
        raise ConfigError("\n".join(problems))
    return DocumentsConfig(documents, str(path))
