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
// An HTTP job calling the master itself, with a secret in its URL that must never be shown.
const HTTP_JOB = `e2e-http-${Date.now().toString(36)}`
const SECRET = 'e2e-secret'
const HTTP_URL = `${BASE}/api/v1/info?token=${SECRET}`
// Dependencies: the parent runs every second and starts the child on success; the child's
// own schedule (1 January, midnight) never fires during the test.
const CHILD = `e2e-child-${Date.now().toString(36)}`
const PARENT = `e2e-parent-${Date.now().toString(36)}`
// A broadcast job: every tick runs on every worker, each run told its shard. Embedded mode
// has one worker, so each tick has one run, shard 0 of 1.
const BCAST = `e2e-bcast-${Date.now().toString(36)}`
const SHARD_CMD = 'echo shard $SCHEDD_SHARD_INDEX of $SCHEDD_SHARD_TOTAL'
// Notifications: a job failing every second, with one webhook told of failures only, whose
// URL and header hold a secret that must never be shown. The webhook is the master's own
// `/api/v1/info`, which answers a POST 404: each failure's notice is recorded not delivered,
// after its 4 attempts, with status 404. That is the deterministic outcome to check; the
// routes that answer a POST 2xx change something (a kill, a save), each one audited.
const NOTIFY = `e2e-notify-${Date.now().toString(36)}`
const HOOK_SECRET = 'e2e-hook-secret'
const HOOK_URL = `${BASE}/api/v1/info?token=${HOOK_SECRET}`
const HOOK_SHOWN = `${BASE}/***?token=***`

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
const httpRow = () => page.locator(`[data-testid="job-row"][data-job="${HTTP_JOB}"]`)
const jobRow = (name) => page.locator(`[data-testid="job-row"][data-job="${name}"]`)
const byTest = (id) => page.getByTestId(id)

/** Fails with `what` when `cond` does not hold within the deadline. */
async function waitFor(what, cond) {
  try {
    await cond()
  } catch (e) {
    throw new Error(`${what}: ${e.message.split('\n')[0]}`)
  }
}

/** A job's chain lines as shown in its row, whitespace folded. */
async function chainLines(name) {
  const links = jobRow(name).getByTestId('job-chain').getByTestId('job-chain-link')
  return (await links.allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim())
}

/** Waits until the job's row shows exactly the chain lines `want`. */
async function waitForChain(name, want) {
  try {
    await page.waitForFunction(
      ([name, want]) => {
        const row = document.querySelector(`[data-testid="job-row"][data-job="${name}"]`)
        if (!row) return false
        const seen = [...row.querySelectorAll('[data-testid="job-chain-link"]')].map((e) => e.textContent.replace(/\s+/g, ' ').trim())
        return JSON.stringify(seen) === JSON.stringify(want)
      },
      [name, want],
      { timeout: WAIT },
    )
  } catch {
    throw new Error(`${name}'s chain shows ${JSON.stringify(await chainLines(name))}, expected ${JSON.stringify(want)}`)
  }
}

/** Fails when the page's text or markup (titles included) holds the secret. */
async function noSecretShown(where, secret = SECRET) {
  const text = await page.evaluate(() => document.body.innerText)
  const html = await page.content()
  if (text.includes(secret) || html.includes(secret)) throw new Error(`${where} shows the secret "${secret}"`)
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

  // HTTP jobs. Placed before the page-error check so that it covers these steps too.
  ['create an HTTP job', async () => {
    await byTest('nav-jobs').click()
    await byTest('jobs-table').waitFor({ timeout: WAIT })
    // The previous step left a search in the box.
    await byTest('job-search').fill('')
    await byTest('job-new').click()
    await byTest('job-form').waitFor({ timeout: WAIT })
    await byTest('form-name').fill(HTTP_JOB)
    await byTest('job-kind').selectOption('http')
    await waitFor('the HTTP fields show', () => byTest('http-url').waitFor({ timeout: WAIT }))
    if ((await byTest('form-command').count()) !== 0) throw new Error('the command field is still shown for an HTTP job')
    await byTest('http-method').selectOption('GET')
    await byTest('http-url').fill(HTTP_URL)
    await byTest('http-expect').fill('200')
    await byTest('form-cron').fill('* * * * * *')
    await waitFor('the next five fire times are shown', () =>
      page.locator('[data-testid="cron-next"] li').nth(4).waitFor({ timeout: WAIT }))
    await screenshot('http-form')
    await byTest('form-save').click()
    await waitFor('the form closes', () => byTest('job-form').waitFor({ state: 'detached', timeout: WAIT }))
    await waitFor('the HTTP job is listed', () => httpRow().waitFor({ timeout: WAIT }))
    const got = await apiCall('GET', `/job/${HTTP_JOB}`)
    const http = got.data?.http
    if (got.code !== 0 || got.data.command !== '' || http?.url !== HTTP_URL || JSON.stringify(http?.expectStatus) !== '[200]') {
      throw new Error(`the master has: ${JSON.stringify(got)}`)
    }
  }],

  ['the list shows it as HTTP, its secret hidden', async () => {
    const what = httpRow().getByTestId('job-what')
    await waitFor('it is marked HTTP', () => what.getByTestId('job-http').waitFor({ timeout: WAIT }))
    const shown = (await what.textContent()).replace(/\s+/g, ' ').trim()
    const want = `HTTP GET ${BASE}/api/v1/info?token=***`
    if (shown !== want) throw new Error(`the row shows "${shown}", expected "${want}"`)
    await noSecretShown('the jobs page')
    await screenshot('http-listed')
  }],

  ['its run succeeds and its output is the response', async () => {
    await httpRow().getByTestId('job-logs').click()
    await byTest('exec-table').waitFor({ timeout: WAIT })
    const ok = page.locator(`[data-testid="exec-row"][data-job="${HTTP_JOB}"][data-status="success"]`).first()
    try {
      await ok.waitFor({ timeout: WAIT })
    } catch (e) {
      // Say what its runs did instead.
      const last = await apiCall('GET', `/log/${HTTP_JOB}`).catch(() => null)
      const r = last?.data
      const seen = r ? `${r.status}, exit ${r.exitCode}, command "${r.command}", error "${r.error}"` : JSON.stringify(last)
      throw new Error(`no successful run within ${WAIT / 1000}s; the latest: ${seen}`)
    }
    await ok.click()
    await byTest('record-detail').waitFor({ timeout: WAIT })
    await waitFor('the output is the response with status 200', () =>
      byTest('out-stdout').filter({ hasText: 'HTTP/1.1 200' }).waitFor({ timeout: WAIT }))
    await waitFor('the record shows the request, its secret hidden', () =>
      byTest('record-detail').getByText(`GET ${BASE}/api/v1/info?token=***`, { exact: true }).waitFor({ timeout: WAIT }))
    await noSecretShown('the execution')
    await screenshot('http-output')
    await page.keyboard.press('Escape')
    await byTest('record-detail').waitFor({ state: 'detached', timeout: WAIT })
  }],

  ['delete the HTTP job', async () => {
    await byTest('nav-jobs').click()
    await httpRow().waitFor({ timeout: WAIT })
    await httpRow().getByTestId('job-delete').click()
    await byTest('confirm-dialog').waitFor({ timeout: WAIT })
    await byTest('confirm-ok').click()
    await waitFor('the row goes away', () => httpRow().waitFor({ state: 'detached', timeout: WAIT }))
    const got = await apiCall('GET', `/job/${HTTP_JOB}`)
    if (got.code === 0) throw new Error(`the master still has the job: ${JSON.stringify(got.data)}`)
    await screenshot('http-deleted')
  }],

  // Dependencies: a parent job starts a child when it succeeds.
  ['create a job that only another starts', async () => {
    await byTest('nav-jobs').click()
    await byTest('jobs-table').waitFor({ timeout: WAIT })
    await byTest('job-search').fill('')
    await byTest('job-new').click()
    await byTest('job-form').waitFor({ timeout: WAIT })
    await byTest('form-name').fill(CHILD)
    await byTest('form-command').fill('echo child')
    await byTest('form-cron').fill('0 0 0 1 1 *')
    await waitFor('the expression is accepted', () =>
      page.locator('[data-testid="cron-preview"][data-state="ok"]').waitFor({ timeout: WAIT }))
    await byTest('form-save').click()
    await waitFor('the form closes', () => byTest('job-form').waitFor({ state: 'detached', timeout: WAIT }))
    await waitFor('the child job is listed', () => jobRow(CHILD).waitFor({ timeout: WAIT }))
    if ((await jobRow(CHILD).getByTestId('job-chain').count()) !== 0) throw new Error('a job in no chain shows a chain')
  }],

  ['create a job that starts it on success', async () => {
    await byTest('job-new').click()
    await byTest('job-form').waitFor({ timeout: WAIT })
    await byTest('form-name').fill(PARENT)
    await byTest('form-command').fill('echo parent')
    await byTest('form-cron').fill('* * * * * *')
    await byTest('on-success').fill(CHILD)
    await waitFor('the expression is accepted', () =>
      page.locator('[data-testid="cron-preview"][data-state="ok"]').waitFor({ timeout: WAIT }))
    if ((await byTest('on-success-hint').count()) !== 0) {
      throw new Error(`the form questions the child's name: ${await byTest('on-success-hint').textContent()}`)
    }
    await screenshot('dependency-form')
    await byTest('form-save').click()
    await waitFor('the form closes', () => byTest('job-form').waitFor({ state: 'detached', timeout: WAIT }))
    await waitFor('the parent job is listed', () => jobRow(PARENT).waitFor({ timeout: WAIT }))
    const got = await apiCall('GET', `/job/${PARENT}`)
    if (got.code !== 0 || JSON.stringify(got.data.onSuccess) !== JSON.stringify([CHILD]) || got.data.onFailure !== undefined) {
      throw new Error(`the master has: ${JSON.stringify(got)}`)
    }
  }],

  ['both jobs show the chain', async () => {
    await waitForChain(PARENT, [`→ ${CHILD} (on success)`])
    await waitForChain(CHILD, [`← ${PARENT} (on success)`])
    await screenshot('dependency-chain')
  }],

  ['the child runs when the parent succeeds', async () => {
    await jobRow(CHILD).getByTestId('job-logs').click()
    await byTest('exec-table').waitFor({ timeout: WAIT })
    const run = page.locator(`[data-testid="exec-row"][data-job="${CHILD}"][data-trigger="dependency"][data-status="success"]`).first()
    try {
      await run.waitFor({ timeout: WAIT })
    } catch {
      const last = await apiCall('GET', `/log/${CHILD}`).catch(() => null)
      throw new Error(`no successful run of ${CHILD} started by ${PARENT} within ${WAIT / 1000}s; its latest: ${JSON.stringify(last?.data ?? last)}`)
    }
    await screenshot('dependency-run')
  }],

  ['its record shows the parent run, which opens', async () => {
    const run = page.locator(`[data-testid="exec-row"][data-job="${CHILD}"][data-trigger="dependency"][data-status="success"]`).first()
    const id = await run.getAttribute('data-id')
    await run.click()
    await byTest('record-detail').waitFor({ timeout: WAIT })
    await waitFor('the record names the run that started it', () => byTest('parent-run').waitFor({ timeout: WAIT }))
    const parentId = (await byTest('parent-run').textContent()).trim()
    // The record as stored says the same.
    const listed = await apiCall('GET', `/log/list?jobName=${CHILD}&pageSize=500`)
    const stored = listed.data?.logs?.find((r) => r.executionId === id)
    if (!stored) throw new Error(`the master has no record ${id} of ${CHILD}`)
    if (stored.trigger !== 'dependency' || stored.parentExecutionId !== parentId) {
      throw new Error(`the page shows parent ${parentId}; the record is ${JSON.stringify({ trigger: stored.trigger, parentExecutionId: stored.parentExecutionId })}`)
    }
    await waitFor('the parent run is found, a run of the parent job', () =>
      byTest('parent-job').filter({ hasText: `${PARENT} · success` }).waitFor({ timeout: WAIT }))
    await screenshot('dependency-record')
    await byTest('parent-run').click()
    await waitFor('the parent run opens in its place', () =>
      byTest('record-id').filter({ hasText: parentId }).waitFor({ timeout: WAIT }))
    await waitFor('it is a run of the parent, with its output', () =>
      byTest('out-stdout').filter({ hasText: 'parent' }).waitFor({ timeout: WAIT }))
    const title = await byTest('record-detail').textContent()
    if (!title.includes(PARENT)) throw new Error(`the opened record is not of ${PARENT}`)
    await screenshot('dependency-parent')
    await page.keyboard.press('Escape')
    await byTest('record-detail').waitFor({ state: 'detached', timeout: WAIT })
  }],

  ['a save that would close a cycle is refused and changes nothing', async () => {
    await byTest('nav-jobs').click()
    await jobRow(CHILD).waitFor({ timeout: WAIT })
    await jobRow(CHILD).getByTestId('job-edit').click()
    await waitFor('the edit form opens', () => byTest('job-form').waitFor({ timeout: WAIT }))
    const before = await byTest('on-success').inputValue()
    if (before !== '') throw new Error(`the child's On success shows "${before}"`)
    await byTest('on-success').fill(PARENT)
    await byTest('form-save').click()
    await waitFor('the master\'s message about the cycle shows', () =>
      byTest('form-error').filter({ hasText: 'cycle' }).waitFor({ timeout: WAIT }))
    console.log(`    ${(await byTest('form-error').textContent()).trim()}`)
    await screenshot('dependency-cycle')
    await byTest('form-cancel').click()
    await waitFor('the form closes', () => byTest('job-form').waitFor({ state: 'detached', timeout: WAIT }))
    const got = await apiCall('GET', `/job/${CHILD}`)
    if (got.code !== 0 || got.data.onSuccess !== undefined) throw new Error(`the child changed: ${JSON.stringify(got.data)}`)
    await waitForChain(CHILD, [`← ${PARENT} (on success)`])
  }],

  ['deleting the parent takes it out of the child\'s chain', async () => {
    await jobRow(PARENT).getByTestId('job-delete').click()
    await byTest('confirm-dialog').waitFor({ timeout: WAIT })
    await byTest('confirm-ok').click()
    await waitFor('the parent\'s row goes away', () => jobRow(PARENT).waitFor({ state: 'detached', timeout: WAIT }))
    await waitFor('the child shows no chain', () =>
      jobRow(CHILD).getByTestId('job-chain').waitFor({ state: 'detached', timeout: WAIT }))
    const got = await apiCall('GET', `/job/${PARENT}`)
    if (got.code === 0) throw new Error(`the master still has the parent: ${JSON.stringify(got.data)}`)
  }],

  // Broadcast jobs: a tick runs on every worker; the executions are grouped by tick.
  ['create a broadcast job', async () => {
    await byTest('nav-jobs').click()
    await byTest('jobs-table').waitFor({ timeout: WAIT })
    await byTest('job-search').fill('')
    await byTest('job-new').click()
    await byTest('job-form').waitFor({ timeout: WAIT })
    const initial = await byTest('run-on').inputValue()
    if (initial !== 'one') throw new Error(`a new job's Run on is "${initial}", expected "one"`)
    await byTest('form-name').fill(BCAST)
    await byTest('form-command').fill(SHARD_CMD)
    await byTest('form-cron').fill('* * * * * *')
    await byTest('run-on').selectOption('all')
    await waitFor('the hint names the shard variables', () =>
      byTest('run-on-hint').filter({ hasText: 'SCHEDD_SHARD_INDEX' }).filter({ hasText: 'SCHEDD_SHARD_TOTAL' }).waitFor({ timeout: WAIT }))
    await waitFor('the expression is accepted', () =>
      page.locator('[data-testid="cron-preview"][data-state="ok"]').waitFor({ timeout: WAIT }))
    await screenshot('broadcast-form')
    await byTest('form-save').click()
    await waitFor('the form closes', () => byTest('job-form').waitFor({ state: 'detached', timeout: WAIT }))
    await waitFor('the broadcast job is listed', () => jobRow(BCAST).waitFor({ timeout: WAIT }))
    const got = await apiCall('GET', `/job/${BCAST}`)
    if (got.code !== 0 || got.data.runOn !== 'all' || got.data.command !== SHARD_CMD) {
      throw new Error(`the master has: ${JSON.stringify(got)}`)
    }
    // A job saved with the default sends no runOn, and the master stores none.
    const child = await apiCall('GET', `/job/${CHILD}`)
    if (child.code !== 0 || 'runOn' in child.data) throw new Error(`a job on one worker has: ${JSON.stringify(child.data)}`)
  }],

  ['the list marks it as running on every worker', async () => {
    const badge = jobRow(BCAST).getByTestId('broadcast-badge')
    await waitFor('it is marked ALL', () => badge.waitFor({ timeout: WAIT }))
    const text = (await badge.textContent()).trim()
    const title = await badge.getAttribute('title')
    if (text !== 'ALL' || title !== 'runs on every worker') throw new Error(`the badge reads "${text}", titled "${title}"`)
    if ((await jobRow(CHILD).getByTestId('broadcast-badge').count()) !== 0) throw new Error('a job on one worker is marked ALL')
    // Editing it shows Run on as saved.
    await jobRow(BCAST).getByTestId('job-edit').click()
    await waitFor('the edit form opens', () => byTest('job-form').waitFor({ timeout: WAIT }))
    const runOn = await byTest('run-on').inputValue()
    if (runOn !== 'all') throw new Error(`the edit form shows Run on "${runOn}"`)
    await byTest('form-cancel').click()
    await waitFor('the form closes', () => byTest('job-form').waitFor({ state: 'detached', timeout: WAIT }))
    await screenshot('broadcast-listed')
  }],

  ['its runs are grouped by tick', async () => {
    await jobRow(BCAST).getByTestId('job-logs').click()
    await byTest('exec-table').waitFor({ timeout: WAIT })
    // A tick whose one run (one worker) has succeeded, its run right under its header.
    try {
      await page.waitForFunction(
        (job) => [...document.querySelectorAll(`[data-testid="tick-group"][data-job="${job}"]`)].some((g) => {
          const summary = g.querySelector('[data-testid="tick-summary"]')?.textContent ?? ''
          const run = g.nextElementSibling
          return /^tick \d\d:\d\d:\d\d · 1 run · 1 success$/.test(summary.trim()) &&
            run?.getAttribute('data-testid') === 'exec-row' &&
            run.getAttribute('data-tick') === g.getAttribute('data-tick') &&
            run.getAttribute('data-status') === 'success' &&
            run.querySelector('[data-testid="exec-worker"]')?.textContent.trim() !== ''
        }),
        BCAST,
        { timeout: WAIT },
      )
    } catch {
      const seen = await page.locator(`[data-testid="tick-group"][data-job="${BCAST}"] [data-testid="tick-summary"]`).allTextContents()
      const last = await apiCall('GET', `/log/${BCAST}`).catch(() => null)
      throw new Error(`no tick of ${BCAST} with one successful run within ${WAIT / 1000}s; groups shown: ${JSON.stringify(seen)}; its latest run: ${JSON.stringify(last?.data ?? last)}`)
    }
    // Every run listed is under its tick's header.
    const loose = await page.locator(`[data-testid="exec-row"][data-job="${BCAST}"]:not([data-tick])`).count()
    if (loose) throw new Error(`${loose} runs of ${BCAST} are listed outside a tick group`)
    await screenshot('broadcast-ticks')
  }],

  ['a tick opens alone, and its run printed its shard', async () => {
    const group = page.locator(`[data-testid="tick-group"][data-job="${BCAST}"]`)
      .filter({ has: page.locator('[data-testid="tick-summary"]', { hasText: '1 success' }) }).first()
    const tick = await group.getAttribute('data-tick')
    await group.click()
    await waitFor('the tick filter shows', () =>
      page.locator(`[data-testid="tick-filter"][data-tick="${tick}"]`).waitFor({ timeout: WAIT }))
    // The address holds the tick (set as the list is asked for), and the list that tick alone.
    await waitFor('only that tick\'s runs are listed, the tick in the address', () =>
      page.waitForFunction(
        (tick) => {
          const rows = [...document.querySelectorAll('[data-testid="exec-row"]')]
          const groups = document.querySelectorAll('[data-testid="tick-group"]')
          return new URLSearchParams(location.hash.split('?')[1] ?? '').get('tick') === tick &&
            rows.length > 0 && groups.length === 1 && rows.every((r) => r.getAttribute('data-tick') === tick)
        },
        tick,
        { timeout: WAIT },
      ))
    const stored = await apiCall('GET', `/log/list?jobName=${BCAST}&tick=${tick}`)
    const shown = await page.locator('[data-testid="exec-row"]').count()
    if (stored.code !== 0 || stored.data.total !== shown) {
      throw new Error(`the page lists ${shown} runs of tick ${tick}; the master: ${JSON.stringify(stored)}`)
    }
    await screenshot('broadcast-one-tick')
    await page.locator(`[data-testid="exec-row"][data-job="${BCAST}"][data-status="success"]`).first().click()
    await byTest('record-detail').waitFor({ timeout: WAIT })
    await waitFor('the output shows shard 0 of 1', () =>
      byTest('out-stdout').filter({ hasText: 'shard 0 of 1' }).waitFor({ timeout: WAIT }))
    await screenshot('broadcast-output')
    await page.keyboard.press('Escape')
    await byTest('record-detail').waitFor({ state: 'detached', timeout: WAIT })
    await byTest('tick-clear').click()
    await waitFor('every tick is listed again', () => byTest('tick-filter').waitFor({ state: 'detached', timeout: WAIT }))
    await waitFor('more than one tick shows', () =>
      page.locator(`[data-testid="tick-group"][data-job="${BCAST}"]`).nth(1).waitFor({ timeout: WAIT }))
  }],

  // Notifications: a job's webhooks, and each run's deliveries to them.
  ['create a job with a webhook told of failures', async () => {
    await byTest('nav-jobs').click()
    await byTest('jobs-table').waitFor({ timeout: WAIT })
    await byTest('job-search').fill('')
    await byTest('job-new').click()
    await byTest('job-form').waitFor({ timeout: WAIT })
    await byTest('form-name').fill(NOTIFY)
    await byTest('form-command').fill('false')
    await byTest('form-cron').fill('* * * * * *')
    await waitFor('a new job says it has no webhook', () => byTest('notify-none').waitFor({ timeout: WAIT }))
    // Two added, the second removed.
    await byTest('notify-add').click()
    await byTest('notify-add').click()
    const hooks = byTest('notify-hook')
    await waitFor('two webhooks show', () => hooks.nth(1).waitFor({ timeout: WAIT }))
    await hooks.nth(1).getByTestId('notify-remove').click()
    await waitFor('one webhook is left', () => hooks.nth(1).waitFor({ state: 'detached', timeout: WAIT }))
    const hint = (await byTest('notify-on-hint').textContent()).trim()
    if (hint !== 'none checked: the default, failure, timeout, recovery and lost') {
      throw new Error(`with no event checked the hint reads "${hint}"`)
    }
    await byTest('notify-url').fill(HOOK_URL)
    await byTest('notify-headers').fill(`Authorization: Bearer ${HOOK_SECRET}`)
    await byTest('notify-on-failure').check()
    await waitFor('the hint says only the events checked', () =>
      byTest('notify-on-hint').filter({ hasText: 'only the events checked' }).waitFor({ timeout: WAIT }))
    await waitFor('the expression is accepted', () =>
      page.locator('[data-testid="cron-preview"][data-state="ok"]').waitFor({ timeout: WAIT }))
    await screenshot('notify-form')
    await byTest('form-save').click()
    await waitFor('the form closes', () => byTest('job-form').waitFor({ state: 'detached', timeout: WAIT }))
    await waitFor('the job is listed', () => jobRow(NOTIFY).waitFor({ timeout: WAIT }))
    const got = await apiCall('GET', `/job/${NOTIFY}`)
    const want = [{ url: HOOK_URL, headers: { Authorization: `Bearer ${HOOK_SECRET}` }, on: ['failure'] }]
    if (got.code !== 0 || JSON.stringify(got.data.notify) !== JSON.stringify(want) || 'expectedSeconds' in got.data) {
      throw new Error(`the master has: ${JSON.stringify(got)}`)
    }
  }],

  ['the list shows its bell, and the secret nowhere', async () => {
    const bell = jobRow(NOTIFY).getByTestId('notify-marker')
    await waitFor('it has a bell', () => bell.waitFor({ timeout: WAIT }))
    const title = await bell.getAttribute('title')
    if (!title.includes(`${HOOK_SHOWN} (failure)`)) throw new Error(`the bell's title is ${JSON.stringify(title)}`)
    if ((await jobRow(CHILD).getByTestId('notify-marker').count()) !== 0) throw new Error('a job without webhooks has a bell')
    await noSecretShown('the jobs page', HOOK_SECRET)
    await screenshot('notify-listed')
    // The edit form shows the webhook as saved, secret included: it is what the user edits.
    await jobRow(NOTIFY).getByTestId('job-edit').click()
    await waitFor('the edit form opens', () => byTest('job-form').waitFor({ timeout: WAIT }))
    const url = await byTest('notify-url').inputValue()
    const headers = await byTest('notify-headers').inputValue()
    if (url !== HOOK_URL || headers !== `Authorization: Bearer ${HOOK_SECRET}`) {
      throw new Error(`the edit form shows URL "${url}", headers "${headers}"`)
    }
    for (const e of ['failure', 'timeout', 'recovery', 'skipped', 'lost', 'overdue']) {
      const checked = await byTest(`notify-on-${e}`).isChecked()
      if (checked !== (e === 'failure')) throw new Error(`the edit form has ${e} ${checked ? '' : 'not '}checked`)
    }
    const expected = await byTest('expected-seconds').inputValue()
    if (expected !== '0') throw new Error(`the edit form's expected duration is "${expected}"`)
    await byTest('form-cancel').click()
    await waitFor('the form closes', () => byTest('job-form').waitFor({ state: 'detached', timeout: WAIT }))
    await noSecretShown('the jobs page, the form closed', HOOK_SECRET)
  }],

  ['a failed run\'s record shows its failure notice, not delivered', async () => {
    await jobRow(NOTIFY).getByTestId('job-logs').click()
    await byTest('exec-table').waitFor({ timeout: WAIT })
    const failed = page.locator(`[data-testid="exec-row"][data-job="${NOTIFY}"][data-status="failed"]`).first()
    await waitFor('a failed run is listed', () => failed.waitFor({ timeout: WAIT }))
    const id = await failed.getAttribute('data-id')
    // Opened as soon as it is listed, most likely before its notice was delivered: the
    // deliveries arrive in the open record.
    await failed.click()
    await byTest('record-detail').waitFor({ timeout: WAIT })
    const delivery = byTest('record-detail').locator('[data-testid="delivery"][data-event="failure"]')
    try {
      await delivery.waitFor({ timeout: WAIT })
    } catch {
      const listed = await apiCall('GET', `/log/list?jobName=${NOTIFY}&pageSize=500`).catch(() => null)
      const stored = listed?.data?.logs?.find((r) => r.executionId === id)
      throw new Error(`no failure notice shown in run ${id} within ${WAIT / 1000}s; its record has ${JSON.stringify(stored?.notifications ?? stored ?? listed)}`)
    }
    const cell = async (name) => (await delivery.getByTestId(name).textContent()).replace(/\s+/g, ' ').trim()
    const shown = {
      url: await cell('delivery-url'),
      state: await cell('delivery-state'),
      attempts: await cell('delivery-attempts'),
      status: await cell('delivery-status'),
      error: await cell('delivery-error'),
    }
    const want = { url: HOOK_SHOWN, state: 'not delivered', attempts: '4', status: '404' }
    for (const [k, v] of Object.entries(want)) {
      if (shown[k] !== v) throw new Error(`the delivery shows ${JSON.stringify(shown)}, expected ${JSON.stringify(want)}`)
    }
    if (!shown.error) throw new Error('an undelivered notice shows no error')
    // The record as stored says the same.
    const listed = await apiCall('GET', `/log/list?jobName=${NOTIFY}&pageSize=500`)
    const stored = listed.data?.logs?.find((r) => r.executionId === id)?.notifications ?? []
    const d = stored.find((x) => x.event === 'failure')
    if (stored.length !== 1 || !d || d.delivered || d.attempts !== 4 || d.status !== 404 || d.url !== HOOK_SHOWN) {
      throw new Error(`run ${id}'s record has notifications ${JSON.stringify(stored)}`)
    }
    await noSecretShown('the record', HOOK_SECRET)
    await screenshot('notify-delivery')
    await page.keyboard.press('Escape')
    await byTest('record-detail').waitFor({ state: 'detached', timeout: WAIT })
    // Its row now says a notice was not delivered.
    const marker = page.locator(`[data-testid="exec-row"][data-id="${id}"] [data-testid="exec-undelivered"]`)
    await waitFor('the run\'s row is marked', () => marker.waitFor({ timeout: WAIT }))
    const title = await marker.getAttribute('title')
    if (!title.includes(`failure to ${HOOK_SHOWN}`)) throw new Error(`the marker's title is ${JSON.stringify(title)}`)
    await noSecretShown('the executions page', HOOK_SECRET)
  }],

  ['delete the job with a webhook', async () => {
    await byTest('nav-jobs').click()
    await jobRow(NOTIFY).waitFor({ timeout: WAIT })
    await jobRow(NOTIFY).getByTestId('job-delete').click()
    await byTest('confirm-dialog').waitFor({ timeout: WAIT })
    await byTest('confirm-ok').click()
    await waitFor('the row goes away', () => jobRow(NOTIFY).waitFor({ state: 'detached', timeout: WAIT }))
    const got = await apiCall('GET', `/job/${NOTIFY}`)
    if (got.code === 0) throw new Error(`the master still has the job: ${JSON.stringify(got.data)}`)
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

console.log(`e2e against ${BASE}, jobs ${JOB}, ${HTTP_JOB}, ${PARENT}, ${CHILD}, ${BCAST} and ${NOTIFY}, screenshots in ${SHOTS}`)
const tally = await runSteps(steps, screenshot)

// Leave nothing running on the master whatever happened; the parent before the child it names.
for (const name of [JOB, HTTP_JOB, PARENT, CHILD, BCAST, NOTIFY]) {
  try {
    await apiCall('DELETE', `/job/${name}`)
  } catch {
    // Unreachable master: nothing to clean.
  }
}
await finish(browser, tally)
