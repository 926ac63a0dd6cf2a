"""The people feature: who is a contact, their interactions, cadence and status, the Reconnect
plan with what to share, the Reconnect page, and `touch`."""
