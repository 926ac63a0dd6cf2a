"""The SQLite index of a vault: its schema, the records read from it, the incremental scan that
keeps it equal to a cold rebuild, and the read-only questions the CLI asks it."""
