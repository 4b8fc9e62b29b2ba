"""Recruitment of interviewees: the Hugging Face sampling rule and the contact funnel."""
