"""Source adapters: each reads one published format into the canonical tidy frame."""
