// Measures the web UI's first load in Chromium against a running master: the bytes
// transferred and the time from navigation to the jobs table showing every job, with a
// fresh browser context (empty cache) for each run. Prints numbers; asserts nothing.
//
//   SCHEDD_URL=http://127.0.0.1:8070 JOBS=1000 RUNS=10 node web/tests/load.mjs
import { chromium } from 'playwright-core'

const BASE = (process.env.SCHEDD_URL ?? 'http://127.0.0.1:8070').replace(/\/+$/, '')
const JOBS = Number(process.env.JOBS ?? 1000)
const RUNS = Number(process.env.RUNS ?? 10)
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium'

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
})
const times = []
let bytes = 0
let requests = 0
try {
  for (let run = 0; run < RUNS; run++) {
    const context = await browser.newContext()
    const page = await context.newPage()
    let runBytes = 0
    let runRequests = 0
    // The encoded size on the wire, as the browser received it (headers excluded).
    page.on('requestfinished', async (req) => {
      const sizes = await req.sizes().catch(() => null)
      if (sizes) runBytes += sizes.responseBodySize + sizes.responseHeadersSize
      runRequests++
    })
    const start = performance.now()
    await page.goto(`${BASE}/`, { waitUntil: 'commit' })
    await page.waitForFunction(
      (n) => document.querySelectorAll('[data-testid="job-row"]').length >= n,
      JOBS,
      { timeout: 60_000, polling: 'raf' },
    )
    times.push(performance.now() - start)
    // The event stream never finishes; everything else has.
    await page.waitForLoadState('networkidle').catch(() => {})
    if (run === 0) {
      bytes = runBytes
      requests = runRequests
    }
    await context.close()
  }
} finally {
  await browser.close()
}
times.sort((a, b) => a - b)
const pick = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))]
console.log(`first load of the web UI with ${JOBS} jobs, ${RUNS} runs, empty cache each`)
console.log(`  transferred: ${(bytes / 1024).toFixed(1)} KiB in ${requests} requests (first run)`)
console.log(`  navigation to all ${JOBS} rows shown: p50 ${pick(0.5).toFixed(0)} ms, max ${times[times.length - 1].toFixed(0)} ms`)
