"""The survey stage: screening, Likert item statistics, paired tests, Figures 3-5."""
