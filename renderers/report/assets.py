"""The page's fixed parts: the Vega bundle, the stylesheet, the chart script and their CSP."""

from __future__ import annotations

import base64
import functools
import hashlib
import os
from importlib import resources
from pathlib import Path

import vl_convert

#: Runs in <head>: records errors and policy violations from the start, then draws every chart
#: once the bundle (at the end of <body>) has run. Status and errors go on <body> so a
#: headless browser's --dump-dom shows them.
PAGE_SCRIPT = """
(function () {
  "use strict";
  var errors = [];
  var current = null;
  function record(message) {
    errors.push(String(message));
    if (document.body) {
      document.body.setAttribute("data-render-errors", JSON.stringify(errors));
    }
  }
  window.addEventListener("error", function (event) {
    record("script error: " + (event.message || event.type));
  });
  document.addEventListener("securitypolicyviolation", function (event) {
    record("blocked by the page's security policy: " + event.violatedDirective);
  });
  // Vega reports some failures only to its logger, which writes to the console: errors, and
  // data that would not load as a mere warning. Charts are drawn one at a time so that each
  // message names its chart.
  function failure(original, onlyIf) {
    return function () {
      var text = Array.prototype.map.call(arguments, String).join(" ");
      if (!onlyIf || onlyIf.test(text)) {
        if (current) { current.failed = true; }
        record((current ? current.stem : "page") + ": " + text);
      }
      return original.apply(console, arguments);
    };
  }
  console.error = failure(console.error, null);
  console.warn = failure(console.warn, /Loading failed/);
  function drawOne(figure) {
    var stem = figure.getAttribute("data-chart");
    var view = figure.querySelector("[data-chart-view]");
    var source = figure.querySelector("script[data-report-spec]");
    var spec;
    try {
      spec = JSON.parse(source.textContent);
    } catch (err) {
      figure.setAttribute("data-chart-state", "failed");
      record(stem + ": unreadable chart spec: " + err.message);
      return Promise.resolve();
    }
    var job = {stem: stem, failed: false};
    current = job;
    // ast: true draws with Vega's expression interpreter, so no eval is needed or allowed.
    var options = {actions: false, renderer: "svg", ast: true, logLevel: 2};
    return window.vegaEmbed(view, spec, options).then(function () {
      figure.setAttribute("data-chart-state", job.failed ? "failed" : "rendered");
      var fallback = figure.querySelector("[data-chart-fallback]");
      if (fallback && !job.failed) { fallback.hidden = true; }
    }, function (err) {
      figure.setAttribute("data-chart-state", "failed");
      record(stem + ": " + (err && err.message ? err.message : err));
    }).then(function () { current = null; });
  }
  function drawAll() {
    var body = document.body;
    body.setAttribute("data-render-status", "rendering");
    if (typeof window.vegaEmbed !== "function") {
      record("the chart library did not load");
      body.setAttribute("data-render-status", "failed");
      return;
    }
    var figures = document.querySelectorAll("figure[data-chart]");
    var chain = Promise.resolve();
    Array.prototype.forEach.call(figures, function (figure) {
      chain = chain.then(function () { return drawOne(figure); });
    });
    chain.then(function () {
      if (!body.hasAttribute("data-render-errors")) {
        body.setAttribute("data-render-errors", "");
      }
      body.setAttribute("data-render-status", "done");
    });
  }
  document.addEventListener("DOMContentLoaded", drawAll);
})();
"""


# The bundle's entry point: PAGE_SCRIPT needs only vegaEmbed. (In this bundle ``vega`` and
# ``vegaLite`` are the libraries' default exports, which are null, so they are not exposed.)
_BUNDLE_SNIPPET = "window.vegaEmbed = vegaEmbed;\n"


BUNDLE_CACHE_ENV = "MEASURES_CACHE_DIR"
"""Where the built bundle is kept between runs: ``$MEASURES_CACHE_DIR``, else the user's cache."""


def bundle_cache_folder() -> Path:
    """Return the folder the built bundle is kept in (it need not exist)."""
    chosen = os.environ.get(BUNDLE_CACHE_ENV)
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "police-measures"


def _bundle_file() -> Path:
    version = getattr(vl_convert, "__version__", "unknown")
    snippet = hashlib.sha256(_BUNDLE_SNIPPET.encode("utf-8")).hexdigest()[:12]
    return bundle_cache_folder() / f"vega-bundle-{version}-{snippet}.js"


def _cached_bundle(path: Path) -> str | None:
    """Return the kept bundle if it is whole (its SHA-256 is its first line), else None."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    digest, _, bundle = text.partition("\n")
    return bundle if hashlib.sha256(bundle.encode("utf-8")).hexdigest() == digest else None


def _keep_bundle(path: Path, bundle: str) -> None:
    """Keep the bundle for the next run; a folder that cannot be written is skipped."""
    from framework.atomic import write_bytes_atomic

    digest = hashlib.sha256(bundle.encode("utf-8")).hexdigest()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_bytes_atomic(path, f"{digest}\n{bundle}".encode())
    except OSError:
        pass


@functools.cache
def vega_bundle() -> str:
    """Return Vega, Vega-Lite and vega-embed as one script that sets ``window.vegaEmbed``.

    The bundle ships inside vl-convert-python, so the page needs no network to draw charts.
    Building it starts vl-convert's JavaScript runtime (over a second), so the built bundle
    is kept in :func:`bundle_cache_folder`, named by vl-convert's version and checked by its
    hash when read; a missing or damaged copy is built again.
    """
    path = _bundle_file()
    bundle = _cached_bundle(path)
    if bundle is None:
        bundle = vl_convert.javascript_bundle(_BUNDLE_SNIPPET)
        _keep_bundle(path, bundle)
    lowered = bundle.lower()
    # Inside <script> these sequences would end the element early or change how it parses;
    # the bundle is minified code, not ours to rewrite, so refuse it rather than patch it.
    if "</script" in lowered or "<!--" in bundle or "<script" in lowered:
        raise RuntimeError("the Vega bundle cannot be inlined safely in a <script> element")
    return bundle


def vega_lite_version() -> str:
    """Return the Vega-Lite version the bundle draws with, e.g. ``6.4``."""
    versions: list[str] = vl_convert.get_vegalite_versions()
    return versions[-1]


@functools.cache
def stylesheet() -> str:
    """Return the page's CSS, kept beside this module as ``report.css``."""
    return resources.files(__package__).joinpath("report.css").read_text(encoding="utf-8")


def script_hash(script: str) -> str:
    """Return the CSP source expression (``'sha256-…'``) that allows one inline script."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def content_security_policy(scripts: list[str]) -> str:
    """Return a policy that loads nothing from anywhere and runs only the given scripts."""
    hashes = " ".join(script_hash(s) for s in scripts) or "'none'"
    return (
        "default-src 'none'; "
        f"script-src {hashes}; "
        "style-src 'unsafe-inline'; "
        "img-src data:; "
        "base-uri 'none'; form-action 'none'"
    )
