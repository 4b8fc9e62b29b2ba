"""Robustness of the study's conclusions: a multiverse of analysis choices,
bootstrap intervals and saturation over random interview orders."""
