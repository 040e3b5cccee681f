"""Take headless-Chromium screenshots of the main pages (Debian's chromium, no browser download).

Usage: python scripts/screenshots.py [BASE_URL] [OUT_DIR]   (defaults: http://127.0.0.1:8000, screenshots/)
Logs in as the demo moderator to capture the moderation queue.
"""

import os
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
PUBLIC = {
    "home": "/",
    "regions": "/daerah/",
    "explorer": "/indikator/",
    "indicator": "/indikator/37/",
    "en-home": "/en/",
    "search": "/cari/?q=pengaduan&for_region=32.12",
    "search-facet": "/cari/?q=layanan&indicator=42&indicator=43",
    "search-empty": "/cari/?q=pengadun",
    "en-search": "/en/cari/?q=tanda+tangan+elektronik",
}


def main(base: str, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        for width in (1280, 360):
            page = browser.new_page(viewport={"width": width, "height": 900})
            for name, path in PUBLIC.items():
                page.goto(base + path)
                page.screenshot(path=str(out / f"{name}-{width}.png"), full_page=True)
            page.goto(base + "/daerah/")
            page.locator("table a").first.click()
            page.screenshot(path=str(out / f"region-{width}.png"), full_page=True)
            page.locator(".card-title a").first.click()
            page.screenshot(path=str(out / f"case-study-{width}.png"), full_page=True)
            page.close()
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(base + "/admin/login/")
        page.fill("#id_username", "moderator")
        page.fill("#id_password", os.environ.get("DEMO_PASSWORD", "livinglab-demo"))
        page.click("button[type=submit]")
        page.goto(base + "/admin/")
        page.screenshot(path=str(out / "admin-dashboard.png"), full_page=True)
        page.goto(base + "/admin/workflows/tasks/index/")
        page.screenshot(path=str(out / "moderation-queue.png"), full_page=True)
        browser.close()
    print(f"screenshots in {out}/")


if __name__ == "__main__":
    main(
        sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000",
        Path(sys.argv[2] if len(sys.argv) > 2 else "screenshots"),
    )
