"""Run axe-core's WCAG 2.2 A and AA rules on a written report page in headless Chromium.

axe-core comes from npm (``tests/report/axe/package.json``; ``make test`` installs it). The
page is copied with axe and a small runner added, their hashes allowed by the page's policy;
the runner opens every chart's table first, so the tables are checked too, then writes the
violations onto ``<body>`` for ``--dump-dom`` to show.
"""

from __future__ import annotations

import json
import os
import re
from html import escape, unescape
from pathlib import Path
from typing import Any

import pytest

from renderers.report.assets import script_hash
from tests.report.test_browser import run_chromium

AXE = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
AXE_HINT = (
    "axe-core is needed for the accessibility test: run `make axe` (npm ci in "
    "tests/report/axe), or set AXE_CORE_JS to an axe.min.js"
)

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]

RUNNER = """
(function () {
  "use strict";
  function run() {
    var body = document.body;
    var status = body.getAttribute("data-render-status");
    if (status !== "done" && status !== "failed" && status !== "static-print") {
      if (document.querySelector("script[data-report-script]")) {
        return setTimeout(run, 50);
      }
    }
    Array.prototype.forEach.call(document.querySelectorAll("details"), function (d) {
      d.open = true;
    });
    window.axe.run(document, {runOnly: {type: "tag", values: TAGS}}).then(function (result) {
      var found = result.violations.map(function (v) {
        return {id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(function (n) { return n.target.join(" "); })};
      });
      body.setAttribute("data-axe", JSON.stringify({violations: found,
                                                    passes: result.passes.length}));
    }, function (err) {
      body.setAttribute("data-axe", JSON.stringify({error: String(err)}));
    });
  }
  window.addEventListener("load", function () { setTimeout(run, 0); });
})();
""".replace("TAGS", json.dumps(WCAG_TAGS))


def axe_source() -> str:
    """Return axe-core's script, failing with how to install it."""
    path = Path(os.environ.get("AXE_CORE_JS", "") or AXE)
    if not path.is_file():
        pytest.fail(AXE_HINT)
    return path.read_text(encoding="utf-8")


def with_axe(html: str) -> str:
    """Return the page with axe and the runner added and allowed by its security policy."""
    axe = axe_source()
    allowed = f"{script_hash(axe)} {script_hash(RUNNER)}"
    meta = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', html)
    assert meta, "the page has no security policy to extend"
    policy = unescape(meta.group(1))
    policy = re.sub(r"script-src [^;]*;", lambda m: _allow(m.group(0), allowed), policy, count=1)
    html = html[: meta.start(1)] + escape(policy, quote=True) + html[meta.end(1) :]
    scripts = f"<script>{axe}</script><script>{RUNNER}</script>"
    # The last </body>: the inlined chart library may spell the tag inside its strings.
    head, tag, tail = html.rpartition("</body>")
    assert tag, "the page has no </body>"
    return head + scripts + tag + tail


def _allow(directive: str, sources: str) -> str:
    return directive.replace("'none'", "").rstrip(";").rstrip() + f" {sources};"


def axe_results(page: Path, profile: Path) -> dict[str, Any]:
    """Return axe's findings on ``page``, opened offline in headless Chromium."""
    checked = page.with_name("axe-" + page.name)
    checked.write_text(with_axe(page.read_text(encoding="utf-8")), encoding="utf-8")
    result = run_chromium(checked, profile, "--dump-dom", "--virtual-time-budget=60000")
    assert result.returncode == 0, result.stderr[-2000:]
    match = re.search(r'<body[^>]*\sdata-axe="([^"]*)"', result.stdout)
    assert match, "axe did not finish: " + result.stderr[-2000:]
    found: dict[str, Any] = json.loads(unescape(match.group(1)))
    return found
