# paper stage rules (see CONTRIBUTING.md).
