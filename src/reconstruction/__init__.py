"""Generators of the reconstructed raw data (not analysis code)."""
