"""The batch rebuild: which pages exist, executing them, publishing the site."""

import sys

# jsonschema (under nbformat, jupytext and papermill) imports the optional `rfc3987_syntax`
# whenever it is installed (JupyterLab's jupyter-events pulls it in), and that module compiles
# about 35 Earley parsers at import: 3 s of every build process and kernel worker, for the
# `iri` string format that no notebook schema uses (python-jsonschema/jsonschema#1428). A None
# entry makes that optional import fail as if the package were absent; only these processes.
sys.modules.setdefault("rfc3987_syntax", None)
