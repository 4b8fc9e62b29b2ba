"""Synthesis: what combines the strands (triangulation per concern, Table 3)."""
