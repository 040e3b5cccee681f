"""Page budgets (issue 5): every public page ≤ 150 KB transferred, images excluded, and no request to another
host (so nothing third-party can block the first render on an intranet).

Usage: python bench/pages.py [BASE_URL]   (a running demo, default http://127.0.0.1:8000; `make demo`)
Loads each main page in Debian's headless Chromium with an empty cache and sums the bytes of every response that
is not an image; prints a table and exits 1 when a page is over budget or asked another host for anything.
"""

import sys
from urllib.parse import urlparse

from playwright.sync_api import sync_playwright

BUDGET = 150 * 1024
PAGES = ["/", "/indikator/", "/indikator/42/", "/indikator/42/langkah/2-3/", "/daerah/", "/daerah/3211-kabupaten-sumedang/",
         "/cari/?q=pengaduan", "/daerah/skor/32-12/", "/en/", "/en/cari/?q=tte"]  # fmt: skip


def measure(browser, base: str, path: str) -> tuple[int, list[str], int]:
    context = browser.new_context()  # empty cache
    page = context.new_page()
    sizes, foreign = [], []
    host = urlparse(base).netloc

    def on_response(response):
        if urlparse(response.url).netloc != host:
            foreign.append(response.url)
        if response.request.resource_type == "image":
            return
        try:
            sizes.append(len(response.body()))
        except Exception:  # noqa: BLE001 — redirects have no body
            sizes.append(0)

    page.on("response", on_response)
    page.goto(base + path, wait_until="networkidle")
    context.close()
    return sum(sizes), foreign, len(sizes)


def main(base: str) -> int:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=["--no-sandbox"])
        page = browser.new_page()
        page.goto(base + "/daerah/3211-kabupaten-sumedang/")
        pages = [*PAGES, page.locator(".card-title a").first.get_attribute("href")]
        page.close()
        failed = False
        print(f"{'page':70} {'requests':>8} {'KB':>7}  third-party")
        for path in pages:
            total, foreign, count = measure(browser, base, path)
            over = total > BUDGET or foreign
            failed = failed or bool(over)
            print(f"{path[:70]:70} {count:8d} {total / 1024:7.1f}  {len(foreign)}{'  OVER' if over else ''}")
        browser.close()
    print(f"budget: {BUDGET // 1024} KB without images, no other host")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"))
