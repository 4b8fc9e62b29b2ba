"""Replication package for Gao et al., "AI Safety in the Eyes of the Downstream Developer"."""

__version__ = "0.1.0"
