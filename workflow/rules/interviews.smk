# interviews stage rules (see CONTRIBUTING.md).
