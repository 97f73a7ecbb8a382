// `broadside collect` in a real browser: headless Chromium signs the form
// in English and in Farsi, follows each confirmation link from the test SMTP
// server's mailbox, signs in as staff, approves the Farsi sign-on and
// rejects the English one. The Rust test (tests/suite/collect.rs) then
// exports the list and builds the annex.
//
// Usage: node collect.mjs URL MAILDIR PASSWORD
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { launch } from "./chromium.mjs";

const [url, maildir, password] = process.argv.slice(2);

function fail(message) {
  console.error(`collect test: ${message}`);
  process.exit(1);
}

// The text part of a stored message, decoded (base64 or quoted-printable).
function bodyText(raw) {
  const split = raw.indexOf("\r\n\r\n");
  const head = raw.slice(0, split);
  let body = raw.slice(split + 4);
  if (/content-transfer-encoding:\s*base64/i.test(head)) {
    return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  }
  if (/content-transfer-encoding:\s*quoted-printable/i.test(head)) {
    body = body.replace(/=\r?\n/g, "");
    const bytes = [];
    for (let i = 0; i < body.length; i++) {
      if (body[i] === "=" && /^[0-9A-F]{2}$/i.test(body.slice(i + 1, i + 3))) {
        bytes.push(parseInt(body.slice(i + 1, i + 3), 16));
        i += 2;
      } else {
        bytes.push(...Buffer.from(body[i], "utf8"));
      }
    }
    return Buffer.from(bytes).toString("utf8");
  }
  return body;
}

// The confirmation link sent to `address`, waiting for it to arrive.
async function linkFor(address) {
  const deadline = Date.now() + 20000;
  for (;;) {
    for (const name of readdirSync(maildir).filter((n) => n.endsWith(".eml"))) {
      const raw = readFileSync(join(maildir, name), "utf8");
      const to = raw.match(/^to:.*$/im);
      if (!to || !to[0].toLowerCase().includes(address)) continue;
      const found = bodyText(raw).match(/https?:\/\/\S+\/confirm\?t=\S+/);
      if (found) return found[0];
    }
    if (Date.now() > deadline) fail(`no confirmation email to ${address}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const browser = await launch();

try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  const errors = [];
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));

  const signers = [
    {
      path: "/",
      name: "Alpha Rights Watch",
      country: "France",
      contact: "Anne Martin",
      email: "anne@alpha.example",
      thanks: "Thank you.",
    },
    {
      path: "/in/fa",
      name: "کانون مدافعان حقوق زندانیان",
      country: "ایران",
      contact: "مریم احمدی",
      email: "maryam@kanoon.example",
      thanks: "سپاس.",
    },
  ];
  for (const s of signers) {
    await page.goto(url + s.path.slice(1));
    if (s.path === "/in/fa") {
      const dir = await page.getAttribute("html", "dir");
      if (dir !== "rtl") fail(`the Farsi page is ${dir}, not rtl`);
      // Right to left as laid out: the heading's right edge is at the
      // column's right, its left edge is not.
      const box = await page.locator("h1").boundingBox();
      const main = await page.locator("main").boundingBox();
      if (Math.abs(box.x + box.width - (main.x + main.width)) > 40) fail("the Farsi heading is not set from the right");
    }
    await page.fill("#name", s.name);
    await page.fill("#country", s.country);
    await page.fill("#contact_name", s.contact);
    await page.fill("#contact_email", s.email);
    await page.check('input[name="consent"]');
    await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);
    const text = await page.textContent("main");
    if (!text.includes(s.thanks)) fail(`after signing as ${s.email}: ${text}`);
    console.log(`signed: ${s.email}`);
  }

  for (const s of signers) {
    const link = await linkFor(s.email);
    await page.goto(link);
    await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);
    const text = await page.textContent("main");
    const expected = s.path === "/" ? "the signature is confirmed" : "امضا تأیید شد";
    if (!text.includes(expected)) fail(`confirming ${s.email}: ${text}`);
    console.log(`confirmed: ${s.email}`);
  }

  // Staff: the queue asks for a sign-in first.
  await page.goto(url + "staff");
  if (!page.url().endsWith("/staff/login")) fail(`the queue opened without a session: ${page.url()}`);
  await page.fill("#user", "ana");
  await page.fill("#password", password);
  await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);
  const cookies = await page.context().cookies();
  const session = cookies.find((c) => c.name === "broadside_session");
  if (!session || !session.httpOnly || session.sameSite !== "Strict") fail(`session cookie: ${JSON.stringify(session)}`);
  for (const s of signers) {
    if (!(await page.textContent("main")).includes(s.name)) fail(`${s.name} is not in the queue`);
  }
  const entry = (name) => page.locator("section.entry", { hasText: name });
  await Promise.all([page.waitForNavigation(), entry(signers[1].name).locator('button[value="approve"]').click()]);
  await Promise.all([page.waitForNavigation(), entry(signers[0].name).locator('button[value="reject"]').click()]);
  const left = await page.textContent("main");
  if (left.includes(signers[0].name) || left.includes(signers[1].name)) fail(`still in the queue: ${left}`);
  console.log("approved: fa, rejected: en");

  // The public page lists the approved one (the statement is published).
  await page.goto(url);
  const list = await page.textContent("ul.signatories");
  if (!list.includes(signers[1].name)) fail(`the approved name is not listed: ${list}`);
  if (list.includes(signers[0].name)) fail("the rejected name is listed");
  if ((await page.content()).includes("@")) fail("a contact address is on the public page");
  if (errors.length) fail(`console errors: ${errors.join("; ")}`);
  console.log("listed");
} finally {
  await browser.close();
}
