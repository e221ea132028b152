"""Privacy and disclosure control (privacy.md): redaction, small-cell suppression, the output scanner."""
