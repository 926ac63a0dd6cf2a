"""The people in the vault: who is a contact, their interactions, cadence and status, and the
advice about them (the Reconnect plan, what to share, briefs, audiences). Pure, below the pages."""
