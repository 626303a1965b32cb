// Screenshots of the demo for people to look at (not a test): the chat on a phone-sized and a
// desktop-sized screen, with two users talking, and the dashboard.
// Usage: node clients/js/test/e2e/screenshots.mjs OUT_DIR   (after ./mvnw -B package -pl parley-app -am)
import { launchBrowser, startServer } from "./harness.js";

const out = process.argv[2] || ".";
const server = await startServer();
const browser = await launchBrowser();
try {
  let room = 0;
  for (const [name, width, height] of [["phone", 390, 844], ["desktop", 1280, 800]]) {
    room++;
    const pages = [];
    for (const nick of ["alice", "bob"]) {
      const page = await browser.newPage({ viewport: { width, height } });
      await page.addInitScript((n) => localStorage.setItem("parley.nick", n), nick);
      await page.goto(`http://127.0.0.1:${server.port}/#design-${room}`);
      await page.waitForSelector('#state[data-state="connected"]');
      pages.push(page);
    }
    const [alice, bob] = pages;
    for (const [page, text] of [
      [alice, "Hi Bob! Is the build green?"],
      [bob, "Green on JDK 17 and 25."],
      [alice, "Great, shipping the hub then."],
      [bob, "The dashboard shows the recoveries from the cut test, by the way."],
    ]) {
      await page.fill("#text", text);
      await page.press("#text", "Enter");
      await page.waitForSelector(`li[data-status="sent"] >> text=${text}`);
    }
    await alice.waitForFunction(() => /rtt/.test(document.getElementById("rtt").textContent));
    await alice.screenshot({ path: `${out}/chat-${name}.png` });
    for (const p of pages) await p.close();
  }
  const dashboard = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await dashboard.goto(`http://127.0.0.1:${server.port}/dashboard`);
  await dashboard.waitForFunction(() => document.getElementById("connections").textContent !== "–");
  await dashboard.waitForTimeout(3000); // a few samples for the charts: there is no event for "enough"
  await dashboard.screenshot({ path: `${out}/dashboard.png` });
} finally {
  await browser.close();
  await server.stop();
}
