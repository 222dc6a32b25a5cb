"""Make sure the system Chromium that the browser tests drive is installed (Debian's `chromium` package).

Run by `make test`. Installs it with apt-get when running as root; otherwise explains what to do. Playwright's own
browser download is not used: it cannot reach its download host from here, and the system browser is what we test.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find() -> str | None:
    explicit = os.environ.get("IGF_CHROMIUM")
    if explicit and os.path.exists(explicit):
        return explicit
    return next((path for name in NAMES if (path := shutil.which(name))), None)


def main() -> int:
    found = find()
    if found:
        print(f"browser tests will use {found}")
        return 0
    required = bool(os.environ.get("CI") or os.environ.get("IGF_REQUIRE_BROWSER"))
    can_install = shutil.which("apt-get") is not None and hasattr(os, "geteuid") and os.geteuid() == 0
    if can_install:
        print("Chromium not found; installing Debian's chromium package with apt-get …")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=False, env=env)
        found = find()
        if found:
            print(f"browser tests will use {found}")
            return 0
    print(
        "Chromium was not found, so the browser tests will be skipped.\n"
        "Install it with `sudo apt-get install chromium` (Debian/Ubuntu), or point IGF_CHROMIUM at a Chromium binary.",
        file=sys.stderr,
    )
    return 1 if required else 0


if __name__ == "__main__":
    sys.exit(main())
