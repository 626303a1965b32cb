// The chat demo in headless Chromium against the real server, through a proxy that can cut every
// connection: two pages talk, lose their connections mid-conversation, and recover with nothing
// lost or doubled; each page shows its connection state and its pending messages.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { launchBrowser, startProxy, startServer } from "./harness.js";

let server;
let proxy;
let browser;

before(async () => {
  server = await startServer();
  proxy = await startProxy(server.port);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await proxy?.close();
  await server?.stop();
});

async function openChat(nick, room) {
  const page = await browser.newPage();
  await page.addInitScript((n) => localStorage.setItem("parley.nick", n), nick);
  await page.goto(`http://127.0.0.1:${proxy.port}/#${room}`);
  await page.waitForSelector('#state[data-state="connected"]');
  return page;
}

async function send(page, text) {
  await page.fill("#text", text);
  await page.press("#text", "Enter");
}

/** The texts of the confirmed messages on a page, in the order shown. */
function shown(page) {
  return page.$$eval('#messages li[data-status="sent"] .text', (els) => els.map((e) => e.textContent));
}

async function waitForCount(page, n) {
  await page.waitForFunction(
    (count) => document.querySelectorAll('#messages li[data-status="sent"]').length >= count && !document.querySelector('#messages li[data-status="pending"]'),
    n,
    { timeout: 20000 },
  );
}

async function waitForTexts(page, expected) {
  await waitForCount(page, expected.length);
  assert.deepEqual(await shown(page), expected);
}

test("two pages in one room exchange messages and see each other", async () => {
  const alice = await openChat("alice", "room1");
  const bob = await openChat("bob", "room1");
  await send(alice, "hello bob");
  await waitForTexts(bob, ["hello bob"]);
  await send(bob, "hello alice");
  await waitForTexts(alice, ["hello bob", "hello alice"]);
  await waitForTexts(bob, ["hello bob", "hello alice"]);
  await alice.waitForFunction(() => document.getElementById("count").textContent === "2");
  const people = await alice.$$eval("#people li", (els) => els.map((e) => e.lastChild.textContent).sort());
  assert.deepEqual(people, ["alice (you)", "bob"]);
  await alice.close();
  await bob.close();
});

test("every connection dropped mid-conversation: both pages recover, nothing lost or doubled", async () => {
  const alice = await openChat("alice", "room2");
  const bob = await openChat("bob", "room2");
  const expected = [];
  for (let i = 1; i <= 30; i++) {
    const [page, who] = i % 2 ? [alice, "a"] : [bob, "b"];
    const text = `${who}${i}`;
    expected.push(text);
    await send(page, text);
    if (i % 10 === 5) proxy.cut(); // the conversation goes on while the pages reconnect
  }
  await waitForCount(alice, expected.length);
  await waitForCount(bob, expected.length);
  const seenByAlice = await shown(alice);
  const seenByBob = await shown(bob);
  // One order for both pages (the channel's), every message exactly once...
  assert.deepEqual(seenByBob, seenByAlice);
  assert.deepEqual([...seenByAlice].sort(), [...expected].sort());
  // ...and each writer's messages in the order it wrote them (its outbox resends in order).
  for (const who of ["a", "b"]) {
    assert.deepEqual(seenByAlice.filter((t) => t.startsWith(who)), expected.filter((t) => t.startsWith(who)));
  }
  const offsets = await alice.$$eval('#messages li[data-status="sent"]', (els) => els.map((e) => Number(e.dataset.offset)));
  assert.deepEqual(offsets, Array.from({ length: 30 }, (_, i) => i + 1));
  await alice.close();
  await bob.close();
});

test("the page shows its state, and messages sent offline as pending until confirmed", async () => {
  const alice = await openChat("alice", "room3");
  proxy.accepting(false);
  proxy.cut();
  // Text and state read at one instant: with full jitter the next attempt ("connecting") may
  // start a moment after "reconnecting in 0 s" is shown.
  const shown = await alice.waitForFunction(() => {
    const e = document.getElementById("state");
    const waiting = /reconnecting in \d+ s|offline/.test(e.textContent);
    return waiting ? { text: e.textContent, state: e.dataset.state } : null;
  });
  const { text, state } = await shown.jsonValue();
  assert.ok(["reconnecting", "offline"].includes(state), `state ${state} while the page says "${text}"`);
  await send(alice, "written offline");
  await alice.waitForSelector('#messages li[data-status="pending"] >> text=written offline');
  const meta = await alice.$eval('#messages li[data-status="pending"] .meta', (e) => e.textContent);
  assert.match(meta, /pending/);
  proxy.accepting(true);
  await alice.waitForSelector('#state[data-state="connected"]', { timeout: 30000 });
  await waitForTexts(alice, ["written offline"]);
  await alice.close();
});
