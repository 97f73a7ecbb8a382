// The live preview in a real browser: headless Chromium opens the page that
// `broadside watch --serve` serves, checks that every page image loads, then
// edits the statement and checks that the page reloads by itself with new
// images, that a broken statement shows its error in place of the pages, and
// that fixing it brings the pages back.
//
// Usage: node preview.mjs URL STATEMENT_FILE  (run by tests/suite/preview.rs)
import { readFileSync, writeFileSync } from "node:fs";
import { launch } from "./chromium.mjs";

const [url, statementFile] = process.argv.slice(2);

function fail(message) {
  console.error(`preview test: ${message}`);
  process.exit(1);
}

const browser = await launch();

try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  // Polls `check` in the page until it gives a true value. The page reloads
  // itself when a build finishes, so each try runs in whatever document is
  // current (a try during the reload just fails and is repeated).
  const until = async (what, check, arg) => {
    const deadline = Date.now() + 20000;
    for (;;) {
      try {
        const value = await page.evaluate(check, arg);
        if (value) return value;
      } catch {
        // The page was navigating.
      }
      if (Date.now() > deadline) {
        const images = await page
          .$$eval("img.page", (imgs) => imgs.map((i) => `${i.getAttribute("src")}: ${i.complete ? i.naturalWidth : "loading"}`))
          .catch(() => []);
        fail(`timed out waiting for ${what}; page images: ${images.join(", ") || "none"}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  // Waits until the page shows a build newer than `after`, in `wanted` state.
  const waitFor = (wanted, after) =>
    until(
      `a build in state ${wanted} after generation ${after}`,
      ([wanted, after]) => {
        const m = document.querySelector("#preview");
        return m && m.dataset.state === wanted && Number(m.dataset.generation) > after
          ? { state: m.dataset.state, generation: Number(m.dataset.generation) }
          : null;
      },
      [wanted, after],
    );
  // Every page image has arrived and decoded.
  const imagesLoaded = () =>
    until("the page images", () => {
      const imgs = [...document.querySelectorAll("img.page")];
      return imgs.every((i) => i.complete && i.naturalWidth > 0)
        ? imgs.map((i) => ({ src: i.getAttribute("src"), width: i.naturalWidth }))
        : null;
    });

  // Not waiting for the load event: the page may reload itself while it
  // loads (a build finishing), and the checks below poll whatever is current.
  await page.goto(url, { waitUntil: "commit" });
  const first = await waitFor("ok", 0);
  const images = await imagesLoaded();
  const kinds = await page.$$eval("section.document", (s) => s.map((d) => d.dataset.kind));
  for (const kind of ["press-release", "poster", "annex"]) {
    if (!kinds.includes(kind)) fail(`no ${kind} in the preview (saw ${kinds})`);
  }
  if (images.length < 3) fail(`only ${images.length} page images`);
  const shot = async () => {
    for (let i = 0; ; i++) {
      try {
        return await page.locator("img.page").first().screenshot();
      } catch (e) {
        if (i > 20) throw e;
        await imagesLoaded();
      }
    }
  };
  const before = await shot();
  console.log(`loaded: ${images.length} pages of ${kinds.join(", ")}`);

  // An edit: the page reloads by itself and shows the new text.
  const original = readFileSync(statementFile, "utf8");
  const edited = original.replace(/^title = .*$/m, 'title = "A title changed while the browser watched"');
  if (edited === original) fail("the statement has no title line to edit");
  writeFileSync(statementFile, edited);
  const second = await waitFor("ok", first.generation);
  await imagesLoaded();
  const after = await shot();
  if (Buffer.compare(before, after) === 0) fail("the press release looks the same after the title changed");
  console.log(`reloaded after the edit: generation ${first.generation} -> ${second.generation}`);

  // A broken statement: the error, where the pages were.
  writeFileSync(statementFile, edited.replace(/^title = .*$/m, "title = = broken"));
  const third = await waitFor("error", second.generation);
  // Read in one step, in whatever document is current.
  const { message, pages } = await until("the error", () => {
    const pre = document.querySelector(".error pre");
    return pre ? { message: pre.textContent, pages: document.querySelectorAll("img.page").length } : null;
  });
  if (!/statement\.toml:\d+:\d+/.test(message)) {
    fail(`the error does not name the file and line: ${message}`);
  }
  if (pages !== 0) fail("pages shown beside the error");
  console.log(`error shown: ${message.split("\n")[0]}`);

  // Fixed: the pages come back.
  writeFileSync(statementFile, original);
  await waitFor("ok", third.generation);
  await imagesLoaded();
  console.log("pages back after the fix");
} finally {
  await browser.close();
}
