"""Association-registry data: register extracts and YTJ responses → the associations table."""
