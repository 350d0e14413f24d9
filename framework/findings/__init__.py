"""Findings: problems as values, the table of every finding code, and did-you-mean hints."""
