from __future__ import annotations

import pytest
from tilannekuva.batch.params import validate_parameters
from tilannekuva.errors import UsageError


def test_defaults_are_filled_in():
    assert validate_parameters("00_yleiskuva", {}) == {
        "data_dir": "../data",
        "demo": False,
        "region": "MK13",
    }


def test_unknown_key_is_an_error():
    with pytest.raises(UsageError, match="regoin"):
        validate_parameters("00_yleiskuva", {"regoin": "MK13"})


def test_wrong_type_is_an_error():
    with pytest.raises(UsageError, match="demo"):
        validate_parameters("00_yleiskuva", {"demo": "yes"})


def test_unknown_notebook_is_an_error():
    with pytest.raises(UsageError, match="no parameter schema"):
        validate_parameters("99_none", {})
