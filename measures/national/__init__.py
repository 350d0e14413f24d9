"""The national catalogue: definitions, datasets and public data every force builds on.

This package holds no code; ``framework.loading.layers.national_root`` finds its folder.
"""
