"""AI Incident Database mapping: annotations, agreement, frequencies, enrichment."""
