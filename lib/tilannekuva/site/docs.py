"""The site's own pages, written by the build from Jinja templates: the methods
and glossary page (menetelmat.html), the accessibility statement
(saavutettavuus.html) and the search page (haku.html).

The statement's feedback contact comes from ``config/site.yaml`` of the data
directory (else the project's)::

    feedback:
      name: Järjestökentän tilannekuvan ylläpito
      email: tilannekuva@example.fi
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape
from pathlib import Path

import yaml

from tilannekuva import __version__
from tilannekuva.errors import ConfigError
from tilannekuva.paths import DataLayout
from tilannekuva.provenance import SourceRecord
from tilannekuva.site.chrome import context
from tilannekuva.yamlfile import load_yaml

SITE_CONFIG_FILE = "config/site.yaml"
TAG = re.compile(r"<[^>]+>")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[a-z]{2,}", re.IGNORECASE)
DOC_PAGES = (
    ("menetelmat.html", "menetelmat.html.j2", "Menetelmät ja käsitteet"),
    ("saavutettavuus.html", "saavutettavuus.html.j2", "Saavutettavuusseloste"),
    ("haku.html", "haku.html.j2", "Haku"),  # its index is written last (site/search.py)
)


@dataclass(frozen=True)
class Contact:
    name: str
    email: str


def _line(text: str, section: str, key: str) -> int | str:
    """The 1-based line of ``section.key`` (else of ``section``), for messages."""
    try:
        node = yaml.compose(text)
    except yaml.YAMLError:
        return "?"
    for k, v in node.value if isinstance(node, yaml.MappingNode) else []:
        if k.value == section:
            for k2, _ in v.value if isinstance(v, yaml.MappingNode) else []:
                if k2.value == key:
                    return k2.start_mark.line + 1
            return k.start_mark.line + 1
    return "?"


def read_contact(path: Path) -> Contact:
    """The feedback contact; a missing or malformed entry names the file, line and key."""
    spec = load_yaml(path, "site settings") if path.exists() else None
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    feedback = spec.get("feedback") if isinstance(spec, dict) else None
    if not isinstance(feedback, dict):
        raise ConfigError(
            f"{path}: line {_line(text, 'feedback', '')}: key 'feedback': expected 'name' and "
            "'email' of the contact for accessibility feedback"
        )
    name, email = str(feedback.get("name") or "").strip(), str(feedback.get("email") or "")
    if not name:
        raise ConfigError(
            f"{path}: line {_line(text, 'feedback', 'name')}: key 'feedback.name': expected a name"
        )
    if not EMAIL.fullmatch(email.strip()):
        raise ConfigError(
            f"{path}: line {_line(text, 'feedback', 'email')}: key 'feedback.email': "
            f"value {email!r}: expected an e-mail address"
        )
    return Contact(name, email.strip())


def write_doc_pages(
    site: Path, layout: DataLayout, *, demo: bool, built: str, sources: list[SourceRecord]
) -> tuple[list[Path], list[str]]:
    """Write the methods page and the accessibility statement into ``site``.

    Returns the files and their privacy findings: they are scanned here, with the
    configured public feedback address set aside (the build's scanner would take
    it for a person's e-mail), so the caller marks them as scanned.
    """
    from tilannekuva.settings import Settings
    from tilannekuva.site.index import template_environment

    contact = read_contact(layout.config_file(SITE_CONFIG_FILE))
    settings = Settings.from_data_dir(layout.root)
    threshold = settings.min_group_size
    env = template_environment()
    written = []
    for file, template, title in DOC_PAGES:
        tk = context(title, region=settings.region, demo=demo, built=built, sources=sources)
        html = env.get_template(template).render(
            tk=tk,
            file=file,
            contact=contact,
            threshold=threshold,
            technical={"Versio": f"tilannekuva {__version__}"},
        )
        (site / file).write_text(html, encoding="utf-8")
        written.append(site / file)
    return written, scan_doc_pages(written, contact)


def scan_doc_pages(paths: list[Path], contact: Contact) -> list[str]:
    """Personal data in the site's own pages, other than the configured feedback address."""
    from tilannekuva.privacy.redact import find_personal_data

    findings = []
    for path in paths:
        text = TAG.sub(" ", path.read_text(encoding="utf-8"))
        text = unescape(text).replace(contact.email, " ")
        findings += [f"{path}: {f.kind} ({f.masked()})" for f in find_personal_data(text)]
    return findings
