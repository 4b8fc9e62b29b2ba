"""The study's instruments (interview protocol, codebook, survey) as validated data."""
