# Reliability and privacy rules (see CONTRIBUTING.md).
