"""The Reconnect page, a brief page per suggested person, and logging a contact (`touch`)."""
