// End-to-end test of the web UI's sign-in, and of the audit trail it shows, against a running
// master that requires tokens, in Debian's Chromium.
//
//   SCHEDD_URL=http://127.0.0.1:8070 VIEWER_TOKEN=… ADMIN_TOKEN=… node web/tests/e2e-auth.mjs
//
// Env: SCHEDD_URL (default http://127.0.0.1:8070), VIEWER_TOKEN and ADMIN_TOKEN (required:
// tokens of role viewer and admin, from `schedd-master token create`), SCREENSHOT_DIR (default
// target/e2e-auth), CHROMIUM (default /usr/bin/chromium), ADMIN_NAME (the admin token's name;
// by default it is read from the audit trail, from a change this script makes through the API
// with the admin token). Each step saves a screenshot; every
// wait has a 30 s deadline and waits for a condition, never for a fixed time. The last line is
// `N passed, M failed` (with `, K skipped` for steps not run after a failure).
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { finish, launch, runSteps } from './runner.mjs'

const BASE = (process.env.SCHEDD_URL ?? 'http://127.0.0.1:8070').replace(/\/+$/, '')
const SHOTS = process.env.SCREENSHOT_DIR ?? 'target/e2e-auth'
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium'
const VIEWER = process.env.VIEWER_TOKEN ?? ''
const ADMIN = process.env.ADMIN_TOKEN ?? ''
const WAIT = 30_000
const JOB = `auth-ui-${Date.now().toString(36)}`
const MARK = 'hello-from-auth-ui'
const WRONG = 'schedd_0000000000000000000000000000000000000000000000000000000000000000'
// Where the UI keeps the token (web/src/auth.ts).
const KEY = 'schedd.token'
// How this script names itself to the master in its own API calls (the UI says `web`).
const CLIENT = 'e2e-auth'

if (!VIEWER || !ADMIN) {
  console.error('e2e-auth: set VIEWER_TOKEN and ADMIN_TOKEN (schedd-master token create NAME --role viewer|admin)')
  console.log('0 passed, 1 failed')
  process.exit(1)
}

mkdirSync(SHOTS, { recursive: true })

// ---- the API, for set-up checks and clean-up only: the steps go through the UI ----
async function apiCall(method, route, token, body) {
  const headers = { 'x-schedd-client': CLIENT, ...(token ? { authorization: `Bearer ${token}` } : {}) }
  if (body !== undefined) headers['content-type'] = 'application/json'
  const res = await fetch(`${BASE}/api/v1${route}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: res.status, ...(await res.json()) }
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
const stored = () => page.evaluate((key) => ({
  session: sessionStorage.getItem(key),
  local: Object.keys(localStorage).length,
}), KEY)

const auditRow = (attrs) =>
  page.locator(`[data-testid="audit-row"]${Object.entries(attrs).map(([k, v]) => `[data-${k}="${v}"]`).join('')}`)

/** Opens an audit row by its time (its middle may be the link to the job). */
const openAuditRow = (r) => r.locator('td').first().click()

/** The trail through the API with the admin token, newest first. */
async function trail(query) {
  const res = await apiCall('GET', `/audit/list?${new URLSearchParams(query)}`, ADMIN)
  if (res.code !== 0) throw new Error(`the audit trail cannot be read: ${JSON.stringify(res)}`)
  return res.data.entries
}

/** The admin token's name: ADMIN_NAME, else the actor of the save this script made with it. */
async function adminName() {
  if (process.env.ADMIN_NAME) return process.env.ADMIN_NAME
  const mine = (await trail({ target: JOB, action: 'save' })).filter((e) => e.actor.client === CLIENT)
  if (mine.length !== 1) throw new Error(`expected one save of ${JOB} by ${CLIENT} in the trail, found ${mine.length}`)
  return mine[0].actor.name
}

/** Waits until the audit rows are exactly `ids` (any order), each with the attributes `attrs`. */
async function auditRowsAre(what, ids, attrs) {
  await waitFor(what, () => page.waitForFunction(([ids, attrs]) => {
    const rows = [...document.querySelectorAll('[data-testid="audit-row"]')]
    return rows.length === ids.length
      && rows.every((r) => ids.includes(r.dataset.id) && Object.entries(attrs).every(([k, v]) => r.dataset[k] === v))
  }, [ids, attrs], { timeout: WAIT }))
}

/** Fails with `what` when `cond` does not hold within the deadline. */
async function waitFor(what, cond) {
  try {
    await cond()
  } catch (e) {
    throw new Error(`${what}: ${e.message.split('\n')[0]}`)
  }
}

/** The token is nowhere a user or their history would see it. */
async function tokenNotExposed(token) {
  if (page.url().includes(token)) throw new Error(`the token is in the address bar: ${page.url()}`)
  if ((await stored()).local !== 0) throw new Error('something was put in localStorage')
}

async function signIn(token) {
  await byTest('login').waitFor({ timeout: WAIT })
  await byTest('login-token').fill(token)
  const type = await byTest('login-token').getAttribute('type')
  if (type !== 'password') throw new Error(`the token field is of type "${type}", not password`)
  await byTest('login-submit').click()
  await waitFor('the sign-in screen goes away', () => byTest('login').waitFor({ state: 'detached', timeout: WAIT }))
  await waitFor('the jobs table is shown', () => byTest('jobs-table').waitFor({ timeout: WAIT }))
  await waitFor('the event stream is connected', () =>
    page.locator('[data-testid="conn-state"][data-state="open"]').waitFor({ timeout: WAIT }))
  await waitFor('a sign-out is offered', () => byTest('sign-out').waitFor({ timeout: WAIT }))
  const { session } = await stored()
  if (session !== token) throw new Error('the token is not the one kept in sessionStorage')
  await tokenNotExposed(token)
}

async function signOut() {
  await byTest('sign-out').click()
  await waitFor('the sign-in screen shows', () => byTest('login').waitFor({ timeout: WAIT }))
  await waitFor('the page behind is emptied', () => byTest('jobs-table').waitFor({ state: 'detached', timeout: WAIT }))
  await waitFor('the event stream is closed', () =>
    page.locator('[data-testid="conn-state"][data-state="closed"]').waitFor({ timeout: WAIT }))
  const { session } = await stored()
  if (session !== null) throw new Error('the token is still in sessionStorage')
  if ((await byTest('sign-out').count()) !== 0) throw new Error('a sign-out is still offered')
}

const steps = [
  ['open the UI: the sign-in shows', async () => {
    const anon = await apiCall('GET', '/info')
    if (anon.status !== 401 || anon.code !== 3001) {
      throw new Error(`${BASE} does not require a token (GET /api/v1/info without one: HTTP ${anon.status}, code ${anon.code})`)
    }
    await page.goto(`${BASE}/`, { timeout: WAIT })
    if (!(await page.locator('#app').count())) {
      const text = (await page.locator('body').innerText()).trim().slice(0, 300)
      throw new Error(`${BASE}/ does not serve the web UI; it shows: ${JSON.stringify(text)}`)
    }
    await waitFor('the sign-in screen shows', () => byTest('login').waitFor({ timeout: WAIT }))
    await waitFor('nothing of the app waits behind it', () =>
      byTest('jobs-table').waitFor({ state: 'detached', timeout: WAIT }))
    if (await byTest('login-error').count()) throw new Error('an error shows before any token was tried')
    if (await byTest('sign-out').count()) throw new Error('a sign-out is offered with no token in use')
    if (await page.locator('[data-testid="toast"][data-kind="error"]').count()) {
      throw new Error(`an error toast shows: ${await page.locator('[data-testid="toast"]').first().innerText()}`)
    }
    await screenshot('login')
  }],

  ['a wrong token shows the master\'s message', async () => {
    const expected = (await apiCall('GET', '/info', WRONG)).message
    await byTest('login-token').fill(WRONG)
    await byTest('login-submit').click()
    await waitFor('the error shows', () => byTest('login-error').waitFor({ timeout: WAIT }))
    const shown = (await byTest('login-error').innerText()).trim()
    if (shown !== expected) throw new Error(`the error is "${shown}", the master said "${expected}"`)
    if ((await stored()).session !== null) throw new Error('a refused token was kept')
    await tokenNotExposed(WRONG)
    await screenshot('login-wrong')
  }],

  ['sign in with the admin token', async () => {
    await signIn(ADMIN)
    await page.evaluate(() => { window.__e2eNoReload = true })
    await screenshot('admin-signed-in')
  }],

  ['create a job in the UI, listed, its events live', async () => {
    await byTest('job-new').click()
    await byTest('job-form').waitFor({ timeout: WAIT })
    await byTest('form-name').fill(JOB)
    await byTest('form-command').fill(`echo ${MARK}`)
    await byTest('form-cron').fill('* * * * * *')
    await waitFor('the expression is checked', () =>
      page.locator('[data-testid="cron-next"] li').nth(4).waitFor({ timeout: WAIT }))
    await byTest('form-save').click()
    await waitFor('the form closes', () => byTest('job-form').waitFor({ state: 'detached', timeout: WAIT }))
    await waitFor('the new job is listed', () => row().waitFor({ timeout: WAIT }))
    await waitFor('the event stream is connected', () =>
      page.locator('[data-testid="conn-state"][data-state="open"]').waitFor({ timeout: WAIT }))
    // A change made elsewhere arrives through the stream opened with the token.
    const got = await apiCall('GET', `/job/${JOB}`, ADMIN)
    if (got.code !== 0) throw new Error(`the master does not have the job: ${JSON.stringify(got)}`)
    const saved = await apiCall('POST', '/job/save', ADMIN, { ...got.data, description: 'changed elsewhere' })
    if (saved.code !== 0) throw new Error(`the other save failed: ${JSON.stringify(saved)}`)
    await waitFor('the change arrives live', () =>
      row().getByText('changed elsewhere').waitFor({ timeout: WAIT }))
    if (!(await page.evaluate(() => window.__e2eNoReload === true))) throw new Error('the page was reloaded')
    await screenshot('created')
  }],

  ['follow its live output', async () => {
    await row().getByTestId('job-tail').click()
    await byTest('tail-modal').waitFor({ timeout: WAIT })
    await waitFor(`live output shows ${MARK}`, () =>
      byTest('live-output').filter({ hasText: MARK }).waitFor({ timeout: WAIT }))
    await screenshot('tail')
    await page.keyboard.press('Escape')
    await byTest('tail-modal').waitFor({ state: 'detached', timeout: WAIT })
  }],

  ['sign out', async () => {
    await signOut()
    await screenshot('signed-out')
  }],

  ['sign in with the viewer token: the job list shows', async () => {
    await signIn(VIEWER)
    await waitFor('the job is listed', () => row().waitFor({ timeout: WAIT }))
    await screenshot('viewer-signed-in')
  }],

  ['a viewer cannot delete: the master\'s 403 message, the job stays', async () => {
    await row().getByTestId('job-delete').click()
    await waitFor('a confirmation is asked', () => byTest('confirm-dialog').waitFor({ timeout: WAIT }))
    await byTest('confirm-ok').click()
    const toast = page.locator('[data-testid="toast"][data-kind="error"]').filter({ hasText: 'needs role admin' })
    await waitFor('the refusal shows as an error', () => toast.first().waitFor({ timeout: WAIT }))
    const text = (await toast.first().locator('span').first().innerText()).trim()
    if (!text.includes('role viewer')) throw new Error(`the error does not name the viewer's role: "${text}"`)
    if (await byTest('login').count()) throw new Error('a 403 brought up the sign-in screen')
    if ((await stored()).session !== VIEWER) throw new Error('a 403 dropped the token')
    if ((await row().count()) !== 1) throw new Error('the job is no longer listed')
    const got = await apiCall('GET', `/job/${JOB}`, ADMIN)
    if (got.code !== 0) throw new Error(`the master no longer has the job: ${JSON.stringify(got)}`)
    await screenshot('viewer-delete-refused')
    console.log(`    ${text}`)
  }],

  ['the audit page shows the job\'s creation: by the admin token, from the web UI', async () => {
    const name = await adminName()
    await byTest('nav-audit').click()
    await waitFor('the audit table is shown', () => byTest('audit-table').waitFor({ timeout: WAIT }))
    const created = auditRow({ action: 'save', target: JOB, client: 'web' })
    await waitFor('the save made in the UI is listed', () => created.waitFor({ timeout: WAIT }))
    if ((await created.count()) !== 1) throw new Error(`${await created.count()} saves of ${JOB} from the web UI are listed, not 1`)
    const actor = await created.getAttribute('data-actor')
    if (actor !== name) throw new Error(`the save's actor is "${actor}", not the admin token's name "${name}"`)
    if ((await created.getAttribute('data-outcome')) !== 'done') {
      throw new Error(`the save's outcome is "${await created.getAttribute('data-outcome')}", not done`)
    }
    const who = (await created.getByTestId('audit-who').innerText()).trim()
    if (!who.includes(name) || !who.includes('admin')) throw new Error(`"who" reads "${who}", not the admin token's name and role`)
    const client = (await created.getByTestId('audit-client').innerText()).trim()
    if (client !== 'web') throw new Error(`the client shown is "${client}", not web`)
    // The change made through the API with the same token is there too, under its own client.
    const elsewhere = auditRow({ action: 'save', target: JOB, client: CLIENT, actor: name })
    await waitFor('the save made through the API is listed', () => elsewhere.waitFor({ timeout: WAIT }))
    await screenshot('audit')
  }],

  ['expand the creation: every field of the new job, its command among them', async () => {
    const created = auditRow({ action: 'save', target: JOB, client: 'web' })
    const id = await created.getAttribute('data-id')
    await openAuditRow(created)
    const detail = page.locator(`[data-testid="audit-detail"][data-id="${id}"]`)
    await waitFor('the change opens', () => detail.waitFor({ timeout: WAIT }))
    const command = detail.locator('[data-testid="audit-diff-row"][data-field="command"]')
    await waitFor('the diff shows the command', () => command.filter({ hasText: `echo ${MARK}` }).waitFor({ timeout: WAIT }))
    for (const field of ['name', 'cronExpr']) {
      if (!(await detail.locator(`[data-testid="audit-diff-row"][data-field="${field}"]`).count())) {
        throw new Error(`the new job's ${field} is not shown`)
      }
    }
    // The later save changed the description only: its diff shows that, not the command.
    const edit = auditRow({ action: 'save', target: JOB, client: CLIENT })
    const editId = await edit.getAttribute('data-id')
    await openAuditRow(edit)
    const editDetail = page.locator(`[data-testid="audit-detail"][data-id="${editId}"]`)
    await waitFor('the edit shows its description changed', () =>
      editDetail.locator('[data-testid="audit-diff-row"][data-field="description"]')
        .filter({ hasText: 'changed elsewhere' }).waitFor({ timeout: WAIT }))
    if (await editDetail.locator('[data-testid="audit-diff-row"][data-field="command"]').count()) {
      throw new Error('the edit\'s diff shows the command, which it did not change')
    }
    await screenshot('audit-expanded')
  }],

  ['filter by action and by target: only matching rows', async () => {
    const saves = (await trail({ action: 'save' })).map((e) => e.id)
    await byTest('audit-filter-action').selectOption('save')
    await auditRowsAre('only the saves are listed', saves, { action: 'save' })
    const jobSaves = (await trail({ action: 'save', target: JOB })).map((e) => e.id)
    if (jobSaves.length !== 2) throw new Error(`the trail holds ${jobSaves.length} saves of ${JOB}, not 2`)
    await byTest('audit-filter-target').fill(JOB)
    await auditRowsAre(`only the saves of ${JOB} are listed`, jobSaves, { action: 'save', target: JOB })
    await waitFor('the filters are in the address', () =>
      page.waitForURL((u) => u.hash.includes('action=save') && u.hash.includes(`target=${JOB}`), { timeout: WAIT }))
    await screenshot('audit-filtered')
  }],

  ['the viewer\'s refused delete is not in the trail', async () => {
    await byTest('audit-filter-action').selectOption('delete')
    await waitFor('no delete of the job is listed', () => byTest('audit-empty').waitFor({ timeout: WAIT }))
    if (await auditRow({ target: JOB }).count()) throw new Error(`rows are listed for ${JOB} with action delete`)
    const deletes = await trail({ action: 'delete', target: JOB })
    if (deletes.length) throw new Error(`the trail holds a delete of ${JOB}: ${JSON.stringify(deletes[0])}`)
    await screenshot('audit-no-delete')
  }],

  ['a change made elsewhere shows live', async () => {
    await byTest('audit-filter-action').selectOption('')
    const jobEntries = (await trail({ target: JOB })).map((e) => e.id)
    await auditRowsAre(`every change of ${JOB} is listed`, jobEntries, { target: JOB })
    const res = await apiCall('POST', `/job/disable/${JOB}`, ADMIN)
    if (res.code !== 0) throw new Error(`disabling the job through the API failed: ${JSON.stringify(res)}`)
    const disabled = auditRow({ action: 'disable', target: JOB, client: CLIENT })
    await waitFor('the disable arrives', () => disabled.waitFor({ timeout: WAIT }))
    await openAuditRow(disabled)
    const id = await disabled.getAttribute('data-id')
    const field = page.locator(`[data-testid="audit-detail"][data-id="${id}"] [data-testid="audit-diff-row"][data-field="disabled"]`)
    await waitFor('its diff shows disabled: false → true', () => field.filter({ hasText: 'true' }).waitFor({ timeout: WAIT }))
    const cells = (await field.locator('td').allInnerTexts()).map((t) => t.trim())
    if (cells.join(' ') !== 'disabled false true') throw new Error(`the diff row reads "${cells.join(' | ')}"`)
    if (!(await page.evaluate(() => window.__e2eNoReload === true))) throw new Error('the page was reloaded')
    await screenshot('audit-live')
  }],

  ['sign out again', async () => {
    await signOut()
    await screenshot('signed-out-again')
  }],

  ['no uncaught error in the page', async () => {
    if (pageErrors.length) throw new Error(`uncaught errors: ${pageErrors.join('; ')}`)
  }],
]

let browser
;({ browser, page, pageErrors } = await launch({
  name: 'e2e-auth',
  chromiumPath: CHROMIUM,
  wait: WAIT,
  stepCount: steps.length + 1,
}))

console.log(`e2e-auth against ${BASE}, job ${JOB}, screenshots in ${SHOTS}`)
const tally = await runSteps(steps, screenshot)

// Clean-up, whatever happened: the job goes through the API with the admin token. It counts
// as a step when the job was created (a refused or failed delete is a failure).
try {
  const res = await apiCall('DELETE', `/job/${JOB}`, ADMIN)
  if (res.code === 0) {
    tally.passed++
    console.log('  ✓ clean up: the job is deleted through the API with the admin token')
  } else if (res.code !== 1002) {
    tally.failed++
    console.log(`  ✗ clean up: deleting the job through the API: ${JSON.stringify(res)}`)
  }
} catch (e) {
  tally.failed++
  console.log(`  ✗ clean up: the master cannot be reached: ${e.message}`)
}
await finish(browser, tally)
