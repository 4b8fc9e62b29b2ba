# survey stage rules (see CONTRIBUTING.md).
