"""Lighthouse scores (performance, accessibility, best practices, SEO) and page weight.

    bench/serve.sh 8090 &            # the demo site under gunicorn with production settings
    .venv/bin/python bench/lighthouse.py http://127.0.0.1:8090

Needs Node with `npm install lighthouse@12` (here or in a folder named by LIGHTHOUSE_DIR) and
Chromium (CHROME_PATH, default /usr/bin/chromium). Mobile emulation and throttling, as Lighthouse
does by default. A benchmark, not a test: it prints the figures.
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

PAGES = {
    "home": "/",
    "listing": "/policy-analysis/",
    "piece": "/policy-analysis/netanyahu-and-putin-rendezvous-in-paris/",
}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run --disable-quic"
)


def lighthouse_bin():
    for folder in (os.environ.get("LIGHTHOUSE_DIR"), Path(__file__).resolve().parent.parent, "/tmp/lh"):
        if folder and (candidate := Path(folder) / "node_modules" / ".bin" / "lighthouse").exists():
            return str(candidate)
    sys.exit("Lighthouse not found: `npm install lighthouse@12` (or set LIGHTHOUSE_DIR).")


def audit(binary, url):
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run(
            [
                binary,
                url,
                "--quiet",
                "--output=json",
                f"--output-path={out.name}",
                f"--chrome-flags={CHROME_FLAGS}",
            ],
            check=True,
            env={**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")},
            timeout=180,
        )
        return json.loads(Path(out.name).read_text())


def main(base):
    binary = lighthouse_bin()
    print(
        f"{'page':<10}"
        + "".join(f"{c:>16}" for c in CATEGORIES)
        + f"{'bytes (no img)':>16}{'bytes (all)':>14}{'images':>8}"
    )
    for name, path in PAGES.items():
        report = audit(binary, base.rstrip("/") + path)
        scores = [round(report["categories"][c]["score"] * 100) for c in CATEGORIES]
        items = report["audits"]["network-requests"]["details"]["items"]
        weight = sum(i.get("transferSize", 0) for i in items if i.get("resourceType") != "Image")
        total = sum(i.get("transferSize", 0) for i in items)
        images = sum(1 for i in items if i.get("resourceType") == "Image")
        print(f"{name:<10}" + "".join(f"{s:>16}" for s in scores) + f"{weight:>16}{total:>14}{images:>8}")
        failing = [
            a["title"]
            for a in report["audits"].values()
            if a.get("score") is not None and a["score"] < 0.9 and a.get("scoreDisplayMode") == "binary"
        ]
        if failing:
            print(f"  below par: {'; '.join(failing[:6])}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8090")
