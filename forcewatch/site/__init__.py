"""The documentation site: pages generated from the schema, the catalogue and the records."""
