"""scipy's sparse matrices, imported here for every module of the package (`from
vaultnet.related.sparse import sp`), without numpy's optional submodules: those load when first
used, not when scipy is imported.

scipy (1.15 and later) copies numpy's namespace when `scipy.sparse` is imported: it asks numpy for
every public name (`scipy._lib.array_api_compat.clone_module`), and numpy imports a lazy
submodule when its name is asked for. So twelve of numpy's submodules (`numpy.f2py`,
`numpy.testing`, `numpy.ma`, ...) were imported on every vaultnet command that ranks related
notes: `scipy.sparse` took 0.12-0.17 s to import on this machine, more than `numpy` itself
(`python -X importtime`, docs/benchmarks.md). Seven of them (`DEFERRED`) are read neither by
vaultnet nor by what it calls; `numpy.random` is read by scipy's import and `numpy.ma` by
`numpy.unique`, so those two are imported as before, as are the three that scipy asks for by
name or that cost next to nothing (`numpy.fft`, `numpy.typing`, `numpy.core`). With the seven
deferred, `scipy.sparse` imports in 0.07 s.

`defer()` puts each of them in `sys.modules` as the standard library's lazy module
(`importlib.util.LazyLoader`): the module object exists, so asking numpy for it costs nothing, and
its code runs on its first attribute access, as an import would have. A submodule already imported,
or that this numpy does not have, is left alone. It runs once, here, before scipy is imported;
every module of the package imports scipy's sparse matrices from here, so whichever comes first
imports it this way.

The price, in a process that does use them: Python 3.11's lazy module loads outside the import
lock, so two threads making first use of one at the same moment can see it half loaded (an
`AttributeError`, or an `ImportError` from `from numpy.testing import ...`), and a first load
cut short (Ctrl-C) leaves it empty for the rest of the process. Nothing vaultnet runs uses any of
the seven (an audit hook over every command saw none of them load); a plugin that does is safe
when it imports them at its own import, as plugins import theirs.
"""

from __future__ import annotations

import importlib.util
import sys

DEFERRED = ("f2py", "testing", "polynomial", "ctypeslib", "char", "rec", "strings")
"""numpy's submodules that scipy's import asks for and nothing vaultnet runs reads."""


def defer() -> None:
    """Make numpy's `DEFERRED` submodules load on first use (see the module docstring)."""
    import numpy

    for name in DEFERRED:
        full = f"numpy.{name}"
        if full in sys.modules:
            continue
        spec = importlib.util.find_spec(full)
        if spec is None or spec.loader is None:
            continue
        loader = importlib.util.LazyLoader(spec.loader)
        spec.loader = loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[full] = module
        loader.exec_module(module)
        setattr(numpy, name, module)


defer()

import scipy.sparse as sp  # noqa: E402  (after `defer`: that is the point)

__all__ = ["sp"]
