"""The generator API's former import path, kept so plugins written against it still load: the
API is `vaultnet.pages.api`."""

from vaultnet.pages.api import *  # noqa: F403
from vaultnet.pages.api import __all__ as __all__
