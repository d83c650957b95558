import { describe, expect, it } from "vitest";
import { Latest } from "./latest";

/** A promise settled by hand. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe("Latest", () => {
  it("delivers the answer of the only request", async () => {
    const latest = new Latest();
    await expect(latest.run(async () => 7)).resolves.toEqual({ value: 7 });
  });

  it("drops an older answer that arrives after a newer one", async () => {
    const latest = new Latest();
    const slow = deferred<string>();
    const fast = deferred<string>();
    const first = latest.run(() => slow.promise);
    const second = latest.run(() => fast.promise);
    fast.resolve("new");
    slow.resolve("old");
    await expect(second).resolves.toEqual({ value: "new" });
    await expect(first).resolves.toBeNull();
  });

  it("drops an older answer that arrives first, too", async () => {
    const latest = new Latest();
    const slow = deferred<string>();
    const fast = deferred<string>();
    const first = latest.run(() => fast.promise);
    const second = latest.run(() => slow.promise);
    fast.resolve("old");
    await expect(first).resolves.toBeNull();
    slow.resolve("new");
    await expect(second).resolves.toEqual({ value: "new" });
  });

  it("swallows the failure of a stale request and rethrows the newest one's", async () => {
    const latest = new Latest();
    const a = deferred<number>();
    const first = latest.run(() => a.promise);
    const second = latest.run(() => Promise.reject(new Error("boom")));
    a.reject(new Error("stale"));
    await expect(first).resolves.toBeNull();
    await expect(second).rejects.toThrow("boom");
  });

  it("makes running requests stale on invalidate", async () => {
    const latest = new Latest();
    const a = deferred<number>();
    const first = latest.run(() => a.promise);
    latest.invalidate();
    a.resolve(1);
    await expect(first).resolves.toBeNull();
  });

  it("hands out tickets that a newer request invalidates", async () => {
    const latest = new Latest();
    await latest.run(async () => 1);
    const ticket = latest.ticket();
    expect(latest.isCurrent(ticket)).toBe(true);
    await latest.run(async () => 2);
    expect(latest.isCurrent(ticket)).toBe(false);
  });
});
