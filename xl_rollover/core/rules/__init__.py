"""One module per rule: each computes one thing, cites its authority and explains itself."""
