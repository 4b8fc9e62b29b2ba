"""Coded interviews: loading (CSV or REFI-QDA), aggregation, saturation, Table 2, Figure 2."""
