"""Survey ingestion: any common survey tool's export of the questionnaire → one validated table."""
