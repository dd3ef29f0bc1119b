// What the browser tests share: Chromium (Debian's, through playwright-core), the steps run
// in order (those after a failure skipped, the failure screenshotted), and the closing line
// `N passed, M failed` (with `, K skipped`) that the test runner reads.
import { chromium } from 'playwright-core'

/** Chromium with one page; on failure prints why and the closing line, and exits 1. */
export async function launch({ name, chromiumPath, wait, stepCount }) {
  try {
    const browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    })
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } })
    const page = await context.newPage()
    const pageErrors = []
    page.on('pageerror', (e) => pageErrors.push(e.message))
    page.setDefaultTimeout(wait)
    return { browser, page, pageErrors }
  } catch (e) {
    console.error(`${name}: cannot start Chromium at ${chromiumPath}: ${e.message}`)
    console.log(`0 passed, ${stepCount} failed`)
    process.exit(1)
  }
}

/** Runs `steps` ([name, async fn] pairs) in order; `screenshot(name)` saves one. */
export async function runSteps(steps, screenshot) {
  const tally = { passed: 0, failed: 0, skipped: 0 }
  for (const [name, run] of steps) {
    if (tally.failed) {
      tally.skipped++
      console.log(`  - ${name} (skipped)`)
      continue
    }
    const t0 = Date.now()
    try {
      await run()
      tally.passed++
      console.log(`  ✓ ${name} (${((Date.now() - t0) / 1000).toFixed(1)}s)`)
    } catch (e) {
      tally.failed++
      console.log(`  ✗ ${name}: ${e.message}`)
      try {
        console.log(`    screenshot: ${await screenshot(`FAILED-${name.replace(/\W+/g, '-')}`)}`)
      } catch {
        // The page may be gone.
      }
    }
  }
  return tally
}

/** Closes the browser, prints the closing line and exits with the result. */
export async function finish(browser, { passed, failed, skipped }) {
  await browser.close()
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`)
  process.exit(failed ? 1 : 0)
}
