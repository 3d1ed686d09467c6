"""Other right answers of a reference, where the contract leaves a choice."""
