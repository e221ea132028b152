"""The embedded demo: invented inputs in the raw formats real ones come in.

``write_demo`` writes a survey-tool export (XLSX) and a register-of-associations
extract (CSV) under ``DIR/raw/demo/`` with provenance records marked ``demo``,
then ingests both through the real ingestion path. Every value is invented.
"""

from tilannekuva.demo.build import demo_present, write_demo

__all__ = ["demo_present", "write_demo"]
