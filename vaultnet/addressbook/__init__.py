"""Address books in and out: vCard, Google, Outlook and LinkedIn files read into person notes,
and every contact written out as one vCard file."""
