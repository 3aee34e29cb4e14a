import { assert, describe, it } from "@effect/vitest"
import * as Progress from "../src/internal/bulkProgress.js"

describe("bulk progress bar", () => {
  it("estimates the fraction done from the records processed, not the bytes the reader ran ahead to", () => {
    // The reader has read the whole 30 kB file (300 records) but only 75 are done: a quarter, not 100%.
    assert.strictEqual(Progress.fractionDone(75, { records: 300, bytes: 30_000 }, 30_000), 0.25)
    // Halfway through reading a 1 MB file, 1000 records read, 250 done: about 2000 records in all, 12.5% done.
    assert.closeTo(Progress.fractionDone(250, { records: 1000, bytes: 500_000 }, 1_000_000), 0.125, 1e-9)
    assert.strictEqual(Progress.fractionDone(0, { records: 0, bytes: 0 }, 1_000), 0)
    assert.strictEqual(Progress.fractionDone(300, { records: 300, bytes: 30_000 }, 30_000), 1)
    assert.strictEqual(Progress.fractionDone(0, { records: 0, bytes: 0 }, 0), 1)
  })

  it("renders done, rate, ETA and failures", () => {
    const line = Progress.render({ done: 50, failed: 2, invalid: 1, skipped: 0 }, 0.25, 10_000)
    assert.strictEqual(line, "[######------------------] 25% 50 done, 5.0/s, ETA 30s, 2 failed, 1 invalid")
  })
})
