"""Documents generated from the models: each file kind's JSON Schema and the field reference."""
