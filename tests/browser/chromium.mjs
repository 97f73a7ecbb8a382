// Headless Chromium as the browser tests start it: Debian's (or $CHROMIUM),
// run as root in a sandbox with a closed network, so no sandbox and no
// background connections (Playwright gives each launch a fresh profile).
import { chromium } from "playwright-core";

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
