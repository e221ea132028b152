"""The rendered site: HTML export of executed notebooks, the index, static assets."""
