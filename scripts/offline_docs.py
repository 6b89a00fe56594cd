"""Make GX Data Docs readable offline: vendored assets instead of CDN links.

GX's page templates load Bootstrap, jQuery, Popper, bootstrap-table (which draws the index's list
of validations), bootstrap-datepicker, Font Awesome (the pass / fail icons) and a dark-mode theme
from CDNs, and the logo from S3. Without network the index shows no validation at all and the
result pages lose their layout and status icons. After GX has built the site,
``make_offline(docs_dir)``:

1. copies the vendored files of ``vendor/gx_data_docs/`` (exact npm versions, with their
   licences; see its README) to ``<docs_dir>/static/vendor/``;
2. rewrites every ``<link href>``, ``<script src>`` and ``<img src>`` that points at a known CDN
   URL to a relative path to the local copy (the logo to GX's own ``static/images``), and the
   one remote ``url()`` of GX's stylesheet; local ``static/`` links are recomputed from each
   page too (GX 1.24's validation pages point the favicon one folder short of the site root);
3. removes the Vega scripts: they only draw the charts of distribution expectations, which no
   suite here uses (vendor them, ~1 MB, the day one does).

A remote asset it does not know (a new GX version changing its templates) is left in place and
returned, so that the caller can say so; ``pytests/test_validate.py`` fails on it.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
VENDOR_DIR = PROJECT_DIR / "vendor" / "gx_data_docs"
LOCAL_VENDOR = "static/vendor"  # where the vendored files land, relative to the docs root

# remote URL (query string ignored) -> local path relative to the docs root; None = drop the tag
LOCAL_ASSETS: dict[str, str | None] = {
    "https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css": (
        f"{LOCAL_VENDOR}/bootstrap-4.3.1/bootstrap.min.css"
    ),
    "https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js": (
        f"{LOCAL_VENDOR}/bootstrap-4.3.1/bootstrap.min.js"
    ),
    "https://code.jquery.com/jquery-3.7.1.min.js": f"{LOCAL_VENDOR}/jquery-3.7.1/jquery.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js": (
        f"{LOCAL_VENDOR}/popper.js-1.12.9/popper.min.js"
    ),
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.css": (
        f"{LOCAL_VENDOR}/bootstrap-table-1.19.1/bootstrap-table.min.css"
    ),
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js": (
        f"{LOCAL_VENDOR}/bootstrap-table-1.19.1/bootstrap-table.min.js"
    ),
    "https://unpkg.com/bootstrap-table@1.19.1/dist/extensions/filter-control/"
    "bootstrap-table-filter-control.min.js": (
        f"{LOCAL_VENDOR}/bootstrap-table-1.19.1/bootstrap-table-filter-control.min.js"
    ),
    # the templates ask for the 1.19.0 stylesheet (plain and minified) beside the 1.19.1 script
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/"
    "bootstrap-table-filter-control.min.css": (
        f"{LOCAL_VENDOR}/bootstrap-table-1.19.1/bootstrap-table-filter-control.min.css"
    ),
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/"
    "bootstrap-table-filter-control.css": (
        f"{LOCAL_VENDOR}/bootstrap-table-1.19.1/bootstrap-table-filter-control.min.css"
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/css/"
    "bootstrap-datepicker.min.css": (
        f"{LOCAL_VENDOR}/bootstrap-datepicker-1.9.0/bootstrap-datepicker.min.css"
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/js/"
    "bootstrap-datepicker.min.js": (
        f"{LOCAL_VENDOR}/bootstrap-datepicker-1.9.0/bootstrap-datepicker.min.js"
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css": (
        f"{LOCAL_VENDOR}/fontawesome-free-6.6.0/css/all.min.css"
    ),
    "https://cdn.jsdelivr.net/npm/@forevolve/bootstrap-dark@1.1.0/dist/css/"
    "bootstrap-prefers-dark.css": (
        f"{LOCAL_VENDOR}/bootstrap-dark-1.1.0/bootstrap-prefers-dark.min.css"
    ),
    "https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/logo-long.png": (
        "static/images/logo-long.png"
    ),
    # the dark-mode logo has no local copy in GX's package: the light one stands in
    "https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/full_logo_dark.png": (
        "static/images/logo-long.png"
    ),
    "https://cdn.jsdelivr.net/npm/vega@5": None,
    "https://cdn.jsdelivr.net/npm/vega-lite@5": None,
    "https://cdn.jsdelivr.net/npm/vega-embed@6": None,
}

# an empty <script src=...></script> element, or a <link> / <img> tag
ASSET_TAG = re.compile(r"<script\b[^>]*>\s*</script>|<(?:link|img)\b[^>]*>", re.IGNORECASE)
ASSET_ATTRIBUTE = re.compile(r"""\b(href|src)=(["'])(?P<url>[^"']+)\2""")
CSS_URL = re.compile(r"""url\((["']?)(?P<url>(?:https?:)?//[^)"']+)\1\)""")


def is_remote(url: str) -> bool:
    return url.startswith(("http://", "https://", "//"))


def local_target(url: str) -> str | None:
    """The docs-root-relative local path for a remote URL, None to drop; KeyError if unknown."""
    return LOCAL_ASSETS[url.split("?", 1)[0]]


def relative(target: str, page: Path, docs_dir: Path) -> str:
    return Path(os.path.relpath(docs_dir / target, page.parent)).as_posix()


def rewrite_html(html: str, page: Path, docs_dir: Path, unknown: set[str]) -> str:
    def replace_tag(match: re.Match[str]) -> str:
        tag = match.group(0)
        found = ASSET_ATTRIBUTE.search(tag)
        if found is None:
            return tag
        url = found.group("url")
        if not is_remote(url):
            # GX's templates count one folder too few from a validation page to the site root
            # for the favicon: every local asset is re-pointed at static/ from the page itself
            local = url[url.find("static/") :] if "static/" in url else None
            return tag.replace(url, relative(local, page, docs_dir)) if local else tag
        try:
            target = local_target(url)
        except KeyError:
            unknown.add(url)
            return tag
        if target is None:
            return ""
        return tag.replace(url, relative(target, page, docs_dir))

    return ASSET_TAG.sub(replace_tag, html)


def rewrite_css(css: str, sheet: Path, docs_dir: Path, unknown: set[str]) -> str:
    def replace_url(match: re.Match[str]) -> str:
        url = match.group("url")
        try:
            target = local_target(url)
        except KeyError:
            unknown.add(url)
            return match.group(0)
        return "none" if target is None else f"url('{relative(target, sheet, docs_dir)}')"

    return CSS_URL.sub(replace_url, css)


def make_offline(docs_dir: Path) -> set[str]:
    """Vendor the assets into docs_dir and rewrite its pages; return the remote URLs left."""
    shutil.copytree(VENDOR_DIR, docs_dir / LOCAL_VENDOR, dirs_exist_ok=True)
    (docs_dir / LOCAL_VENDOR / "README.md").unlink(missing_ok=True)
    unknown: set[str] = set()
    for page in docs_dir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        page.write_text(rewrite_html(text, page, docs_dir, unknown), encoding="utf-8")
    for sheet in (docs_dir / "static" / "styles").glob("*.css"):
        text = sheet.read_text(encoding="utf-8")
        sheet.write_text(rewrite_css(text, sheet, docs_dir, unknown), encoding="utf-8")
    return unknown
