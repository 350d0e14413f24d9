"""Loading: YAML files to located documents, and located documents to a catalogue."""
