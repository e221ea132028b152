"""Tests of the network loaders (offline: a local HTTP server serves documented formats)."""
