"""`vaultnet watch`: file events collected and debounced into batches, and the daemon that turns
each batch into an index update and the pages it affects."""
