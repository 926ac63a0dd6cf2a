"""numpy's optional submodules are deferred by `vaultnet.related.sparse`, and still work when used.

Each case runs in a fresh interpreter: what an import loads is only seen from a clean start.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

from vaultnet.related.sparse import DEFERRED


def run(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_ranking_related_notes_imports_none_of_them() -> None:
    """Those this numpy has and does not import itself (numpy 1.26 imports some at once and lacks
    others) stay unloaded lazy modules through the imports of ranking related notes."""
    loaded = run(
        f"""
        import importlib.util, sys
        import numpy
        own = {{n for n in {DEFERRED!r} if "numpy." + n in sys.modules}}
        exist = {{n for n in {DEFERRED!r} if importlib.util.find_spec("numpy." + n)}}
        import vaultnet.related.hybrid, vaultnet.related.saved
        import scipy.sparse
        print(sorted(n for n in exist - own
                     if type(sys.modules.get("numpy." + n)).__name__ != "_LazyModule"))
        """
    )
    assert loaded == "[]"


def test_each_loads_on_first_use() -> None:
    out = run(
        """
        import vaultnet.related.sparse
        import numpy as np
        masked = np.ma.masked_array([1, 2, 3], mask=[0, 1, 0])
        np.testing.assert_array_equal(masked.compressed(), [1, 3])
        from numpy.polynomial import Polynomial
        print(int(masked.sum()), Polynomial([1, 2])(3.0), type(np.ma).__name__)
        """
    )
    assert out == "4 7.0 module"


def test_a_submodule_already_imported_is_left_as_it_is() -> None:
    out = run(
        """
        import numpy.testing
        before = numpy.testing
        import vaultnet.related.sparse
        import sys
        print(sys.modules["numpy.testing"] is before, numpy.testing is before,
              type(before).__name__)
        """
    )
    assert out == "True True module"
