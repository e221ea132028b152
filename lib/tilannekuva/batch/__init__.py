"""The batch rebuild: which pages exist, executing them, publishing the site."""
