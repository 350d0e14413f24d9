"""The evaluation engine: measure definitions to plans, plans to tidy results with provenance."""
