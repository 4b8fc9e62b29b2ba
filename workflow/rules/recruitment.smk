# recruitment stage rules (see CONTRIBUTING.md).
