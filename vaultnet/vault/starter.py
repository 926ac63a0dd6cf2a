"""The `.vaultnet.toml` that `vaultnet init` writes: every setting a newcomer is likely to want,
commented out at its default, with what it does. As written it changes nothing (a test reads it
back and finds the defaults); it marks the folder as a vault, so commands run anywhere below it
find it. Pure."""

from __future__ import annotations

STARTER = """\
# vaultnet's settings for this vault. Every line starting with # is a default: remove the # and
# change the value to use another. This file also tells vaultnet that this folder is a vault,
# so `vaultnet generate` works from any folder below it.
# Every setting is described in vaultnet's README ("Configuration") and docs/reconnect.md.

# output_folder = "Vaultnet"     # where vaultnet writes its pages (Reconnect.md, briefs, ...)
# me = "Your Name"               # your own note's name: never a contact

[people]
# A note is a contact when it is in one of these folders (at any depth), or tagged with one of
# these tags, or has `type: person`.
# folders = ["People", "Contacts"]
# tags = ["person", "people", "contact"]
# default_cadence = "90d"        # how often to be in touch when a note says nothing (cadence: 2w)
# cadence_by_tag = { family = "2w", mentor = "monthly" }
# cadence_by_folder = { "People/Work" = "monthly" }

[reconnect]
# limit = 10                     # people on the Reconnect page
# new_days = 60                  # someone met within this many days is "new"
# share_limit = 3                # ideas to share with each person
# dates_days = 14                # birthdays and anniversaries this many days ahead
# briefs = true                  # a brief page for each person on the Reconnect page
# exclude_folders = ["Archive"]  # never suggest notes from these folders as ideas to share

[related]
# mode = "pages"                 # "pages", "block" (a section in each note) or "off"
# folders = []                   # only notes in these folders get related notes

[generators]
# related = false                # switch the related-notes pages off
"""
"""The text `vaultnet init` writes."""
