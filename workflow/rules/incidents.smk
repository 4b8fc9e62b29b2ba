# incidents stage rules (see CONTRIBUTING.md).
