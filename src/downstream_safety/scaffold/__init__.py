"""A new study folder that runs as it is (``python3 repro.py new-study DIR``)."""
