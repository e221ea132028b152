"""The site's own pages' configuration: the accessibility statement's contact."""

from __future__ import annotations

import pytest
from tilannekuva.errors import ConfigError
from tilannekuva.site.docs import read_contact


def test_the_contact_is_read_from_the_site_settings(tmp_path):
    path = tmp_path / "site.yaml"
    path.write_text("feedback:\n  name: Ylläpito\n  email: palaute@example.fi\n", encoding="utf-8")
    contact = read_contact(path)
    assert (contact.name, contact.email) == ("Ylläpito", "palaute@example.fi")


def test_a_bad_address_names_the_file_line_and_key(tmp_path):
    path = tmp_path / "site.yaml"
    path.write_text("feedback:\n  name: Ylläpito\n  email: ei-osoite\n", encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        read_contact(path)
    message = str(error.value)
    assert str(path) in message and "line 3" in message and "feedback.email" in message


def test_a_missing_contact_is_an_error_not_a_blank(tmp_path):
    path = tmp_path / "site.yaml"
    path.write_text("other: 1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="feedback"):
        read_contact(path)
