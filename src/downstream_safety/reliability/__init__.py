"""Reliability and privacy: pinned raw inputs, the privacy gate and pseudonymisation."""
