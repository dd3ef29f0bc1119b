// End-to-end test of the web UI against a running master, in Debian's Chromium.
//
//   SCHEDD_URL=http://127.0.0.1:8070 node web/tests/e2e.mjs
//
// Env: SCHEDD_URL (default http://127.0.0.1:8070), SCREENSHOT_DIR (default target/e2e),
// CHROMIUM (default /usr/bin/chromium). Each step saves a screenshot; every wait has a 30 s
// deadline and waits for a condition, never for a fixed time. The last line is
// `N passed, M failed` (with `, K skipped` for steps not run after a failure).
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { finish, launch, runSteps } from './runner.mjs'

const BASE = (process.env.SCHEDD_URL ?? 'http://127.0.0.1:8070').replace(/\/+$/, '')
const SHOTS = process.env.SCREENSHOT_DIR ?? 'target/e2e'
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium'
const WAIT = 30_000
const JOB = `e2e-ui-${Date.now().toString(36)}`
const MARK = 'hello-from-ui'

mkdirSync(SHOTS, { recursive: true })

// ---- the API, for set-up checks and clean-up only: the steps go through the UI ----
async function apiCall(method, route) {
  const res = await fetch(`${BASE}/api/v1${route}`, { method })
  return res.json()
}

let page
let shot = 0
let pageErrors = []

async function screenshot(name) {
  shot++
  const file = path.join(SHOTS, `${String(shot).padStart(2, '0')}-${name}.png`)
  await page.screenshot({ path: file, fullPage: true })
  return file
}

const row = () => page.locator(`[data-testid="job-row"][data-job="${JOB}"]`)
const byTest = (id) => page.getByTestId(id)

/** Fails with `what` when `cond` does not hold within the deadline. */
async function waitFor(what, cond) {
  try {
    await cond()
  } catch (e) {
    throw new Error(`${what}: ${e.message.split('\n')[0]}`)
  }
}

const steps = [
  ['open the UI', async () => {
    await page.goto(`${BASE}/`, { timeout: WAIT })
    if ((await page.getByTestId('jobs-table').count()) === 0 && !(await page.locator('#app').count())) {
      // Not this app at all: say what the server showed instead of timing out on it.
      const text = (await page.locator('body').innerText()).trim().slice(0, 300)
      throw new Error(`${BASE}/ does not serve the web UI; it shows: ${JSON.stringify(text)}`)
    }
    await waitFor('the jobs table is shown', () => byTest('jobs-table').waitFor({ timeout: WAIT }))
    await waitFor('the event stream is connected', () =>
      page.locator('[data-testid="conn-state"][data-state="open"]').waitFor({ timeout: WAIT }))
    // Set once; a reload would lose it, so later steps can tell they saw live updates.
    await page.evaluate(() => { window.__e2eNoReload = true })
    await screenshot('open')
  }],

  ['create a job, with the cron expression checked live', async () => {
    await byTest('job-new').click()
    await byTest('job-form').waitFor({ timeout: WAIT })
    await byTest('form-name').fill(JOB)
    await byTest('form-command').fill(`echo ${MARK}`)
    await byTest('form-cron').fill('not a cron')
    await waitFor('a bad expression shows the master\'s message', () =>
      byTest('cron-error').waitFor({ timeout: WAIT }))
    const message = (await byTest('cron-error').textContent()).trim()
    if (!message) throw new Error('the cron error is empty')
    await screenshot('cron-error')
    await byTest('form-cron').fill('* * * * * *')
    await waitFor('the next five fire times are shown', () =>
      page.locator('[data-testid="cron-next"] li').nth(4).waitFor({ timeout: WAIT }))
    const n = await page.locator('[data-testid="cron-next"] li').count()
    if (n !== 5) throw new Error(`expected 5 fire times, got ${n}`)
    const words = (await byTest('cron-description').textContent()).trim()
    if (words !== 'Every second') throw new Error(`the expression in words is "${words}"`)
    await screenshot('cron-next')
    await byTest('form-save').click()
    await waitFor('the form closes', () => byTest('job-form').waitFor({ state: 'detached', timeout: WAIT }))
    await waitFor('the new job is listed', () => row().waitFor({ timeout: WAIT }))
    const status = (await row().getByTestId('job-status').textContent()).trim()
    if (status !== 'enabled') throw new Error(`new job status is "${status}", expected "enabled"`)
    await screenshot('created')
  }],

  ['see it run live', async () => {
    // Open its executions from the job's row (in-app navigation, no reload) and wait for
    // runs to arrive by the event stream.
    await row().getByTestId('job-logs').click()
    await byTest('exec-table').waitFor({ timeout: WAIT })
    const rows = page.locator(`[data-testid="exec-row"][data-job="${JOB}"]`)
    await waitFor('an execution of the job appears', () => rows.first().waitFor({ timeout: WAIT }))
    const before = await rows.count()
    const firstId = await rows.first().getAttribute('data-id')
    await waitFor('a newer execution appears without a reload', () =>
      page.waitForFunction(
        ([job, id]) => {
          const first = document.querySelector(`[data-testid="exec-row"][data-job="${job}"]`)
          return first && first.getAttribute('data-id') !== id
        },
        [JOB, firstId],
        { timeout: WAIT },
      ))
    await waitFor('a successful execution is listed', () =>
      page.locator(`[data-testid="exec-row"][data-job="${JOB}"][data-status="success"]`).first().waitFor({ timeout: WAIT }))
    if (!(await page.evaluate(() => window.__e2eNoReload === true))) throw new Error('the page was reloaded')
    const after = await rows.count()
    await screenshot('executions-live')
    console.log(`    ${before} → ${after} executions listed, updated live`)
  }],

  ['open its output', async () => {
    await page.locator(`[data-testid="exec-row"][data-job="${JOB}"][data-status="success"]`).first().click()
    await byTest('record-detail').waitFor({ timeout: WAIT })
    await waitFor(`the output shows ${MARK}`, () =>
      byTest('out-stdout').filter({ hasText: MARK }).waitFor({ timeout: WAIT }))
    await screenshot('output')
    await page.keyboard.press('Escape')
    await byTest('record-detail').waitFor({ state: 'detached', timeout: WAIT })
  }],

  ['follow its live output', async () => {
    await byTest('nav-jobs').click()
    await row().waitFor({ timeout: WAIT })
    await row().getByTestId('job-tail').click()
    await byTest('tail-modal').waitFor({ timeout: WAIT })
    await waitFor(`live output shows ${MARK}`, () =>
      byTest('live-output').filter({ hasText: MARK }).waitFor({ timeout: WAIT }))
    await screenshot('tail')
    await page.keyboard.press('Escape')
    await byTest('tail-modal').waitFor({ state: 'detached', timeout: WAIT })
  }],

  ['see its stats and chart', async () => {
    await row().getByTestId('job-stats').click()
    await byTest('stats-cards').waitFor({ timeout: WAIT })
    await waitFor('the chart plots its runs', () =>
      page.locator('[data-testid="chart-point"]').first().waitFor({ timeout: WAIT }))
    await waitFor('the run count is above zero', () =>
      page.waitForFunction(() => Number(document.querySelector('[data-testid="stat-total"]')?.textContent) > 0, null, { timeout: WAIT }))
    await screenshot('stats')
  }],

  ['see the workers', async () => {
    await byTest('nav-workers').click()
    await waitFor('a worker is listed', () => byTest('worker-row').first().waitFor({ timeout: WAIT }))
    await waitFor('a worker is online', () =>
      byTest('worker-status').filter({ hasText: 'online' }).first().waitFor({ timeout: WAIT }))
    await screenshot('workers')
  }],

  ['disable it', async () => {
    await byTest('nav-jobs').click()
    await row().waitFor({ timeout: WAIT })
    await row().getByTestId('job-toggle').click()
    await waitFor('the job shows as disabled', () =>
      row().getByTestId('job-status').filter({ hasText: 'disabled' }).waitFor({ timeout: WAIT }))
    const got = await apiCall('GET', `/job/${JOB}`)
    if (got.code !== 0 || got.data?.disabled !== true) throw new Error(`the master does not have it disabled: ${JSON.stringify(got)}`)
    await screenshot('disabled')
  }],

  ['edit it, and be refused when someone else changed it meanwhile', async () => {
    await row().getByTestId('job-edit').click()
    await waitFor('the edit form opens', () => byTest('job-form').waitFor({ timeout: WAIT }))
    // Someone else saves the job while the form is open.
    const other = await fetch(`${BASE}/api/v1/job/${JOB}`).then((r) => r.json())
    const changed = await fetch(`${BASE}/api/v1/job/save`, {
      method: 'POST',
      body: JSON.stringify({ ...other.data, description: 'changed elsewhere' }),
    }).then((r) => r.json())
    if (changed.code !== 0) throw new Error(`the other save failed: ${JSON.stringify(changed)}`)
    await byTest('form-description').fill('changed in the UI')
    await byTest('form-save').click()
    await waitFor('the stale save is refused with the master\'s message', () =>
      byTest('job-form').getByText('changed concurrently').waitFor({ timeout: WAIT }))
    await screenshot('edit-refused')
    // Opened again, the form has the other change and saves.
    await page.keyboard.press('Escape')
    await waitFor('the form closes', () => byTest('job-form').waitFor({ state: 'detached', timeout: WAIT }))
    await row().getByTestId('job-edit').click()
    await waitFor('the edit form opens again', () => byTest('job-form').waitFor({ timeout: WAIT }))
    const seen = await byTest('form-description').inputValue()
    if (seen !== 'changed elsewhere') throw new Error(`the form shows "${seen}", not the other change`)
    await byTest('form-description').fill('changed in the UI')
    await byTest('form-save').click()
    await waitFor('the form closes', () => byTest('job-form').waitFor({ state: 'detached', timeout: WAIT }))
    const got = await apiCall('GET', `/job/${JOB}`)
    if (got.data?.description !== 'changed in the UI') throw new Error(`saved: ${JSON.stringify(got.data)}`)
    await screenshot('edited')
  }],

  ['delete it through the confirmation', async () => {
    await row().getByTestId('job-delete').click()
    await waitFor('a confirmation is asked', () => byTest('confirm-dialog').waitFor({ timeout: WAIT }))
    await screenshot('confirm-delete')
    // Cancelling keeps the job.
    await byTest('confirm-cancel').click()
    await byTest('confirm-dialog').waitFor({ state: 'detached', timeout: WAIT })
    if ((await row().count()) !== 1) throw new Error('cancelling the confirmation removed the job')
    await row().getByTestId('job-delete').click()
    await byTest('confirm-dialog').waitFor({ timeout: WAIT })
    await byTest('confirm-ok').click()
    await waitFor('the row goes away', () => row().waitFor({ state: 'detached', timeout: WAIT }))
    await screenshot('deleted')
  }],

  ['it is gone from the list', async () => {
    await page.reload({ timeout: WAIT })
    await byTest('jobs-table').waitFor({ timeout: WAIT })
    await byTest('job-search').fill(JOB)
    await waitFor('searching for it finds nothing', () => byTest('jobs-empty').waitFor({ timeout: WAIT }))
    if ((await row().count()) !== 0) throw new Error('the job is still listed')
    const got = await apiCall('GET', `/job/${JOB}`)
    if (got.code === 0) throw new Error(`the master still has the job: ${JSON.stringify(got.data)}`)
    await screenshot('gone')
  }],

  ['no uncaught error in the page', async () => {
    if (pageErrors.length) throw new Error(`uncaught errors: ${pageErrors.join('; ')}`)
  }],
]

let browser
;({ browser, page, pageErrors } = await launch({
  name: 'e2e',
  chromiumPath: CHROMIUM,
  wait: WAIT,
  stepCount: steps.length,
}))

console.log(`e2e against ${BASE}, job ${JOB}, screenshots in ${SHOTS}`)
const tally = await runSteps(steps, screenshot)

// Leave nothing running on the master whatever happened.
try {
  await apiCall('DELETE', `/job/${JOB}`)
} catch {
  // Unreachable master: nothing to clean.
}
await finish(browser, tally)
