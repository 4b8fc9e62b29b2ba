"""Deterministic generators of the reconstructed records under data/raw/.

They are the only code that knows the paper study's design and published
numbers; the analysis package reads everything from data and config.
"""
