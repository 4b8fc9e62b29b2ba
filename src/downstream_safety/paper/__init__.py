"""Assembly of the paper's tables, figures, numbers and self-audit."""
