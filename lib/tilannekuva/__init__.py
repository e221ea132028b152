"""tilannekuva: a situational picture of the civic-organisation field of Central Finland."""

__version__ = "0.1.0"
