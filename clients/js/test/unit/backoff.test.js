import { test } from "node:test";
import assert from "node:assert/strict";
import { Backoff } from "../../src/index.js";

test("ceilings double from the minimum and stop at the maximum", () => {
  const b = new Backoff(250, 20000);
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 7, 50].map((n) => b.ceiling(n)), [250, 500, 1000, 2000, 4000, 8000, 16000, 20000, 20000]);
});

test("delays are full jitter under the ceiling", () => {
  assert.equal(new Backoff(100, 1000, () => 0).delay(3), 0);
  assert.equal(new Backoff(100, 1000, () => 0.999999).delay(3), 800);
  const b = new Backoff(1000, 1000);
  const ds = Array.from({ length: 2000 }, () => b.delay(0));
  assert.ok(ds.every((d) => d >= 0 && d <= 1000));
  assert.ok(Math.min(...ds) < 100 && Math.max(...ds) > 900);
});
