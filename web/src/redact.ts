// How an HTTP job's secrets, and its webhooks', are hidden wherever the UI shows a job: the
// password of a URL's `user:pass@`, the values of query parameters and headers whose names
// look like secrets.
// The same rule as the master's `redact_url` and `redact_header` (schedd-core/src/http.rs),
// which hides them in execution records and the audit trail; the job API itself answers with
// the secrets (the form edits them), so every view of a job goes through here.
//
// Each function takes what to put in a secret's place (`hide`), as the master's
// `redacted_with` does: `***` by default; the audit trail, whose secrets the master already
// replaced by digests so that a changed secret shows as a change, keeps those (`keepHidden`).
import type { HttpRequest, Job, Webhook } from './types'

/** What stands for a hidden secret. */
export const REDACTED = '***'

/** What a secret's value is shown as. */
export type Hide = (secret: string) => string

/** Every secret shown as `***`. */
export const hideAll: Hide = () => REDACTED

/**
 * A digest the audit trail keeps in a secret's place (`schedd-master/src/service/audit.rs`):
 * `sha256:` and the first 16 hex digits of the secret's SHA-256.
 */
const DIGEST = /^sha256:[0-9a-f]{16}$/

/** Whether a value is already hidden: `***`, or the audit trail's digest of a secret. */
export const isHidden = (value: string) => value === REDACTED || DIGEST.test(value)

/**
 * For the audit trail: a value the master already hid is kept as it is (two different
 * digests are a changed secret, and `***` again would hide the change); anything else is
 * hidden as everywhere.
 */
export const keepHidden: Hide = (value) => (isHidden(value) ? value : REDACTED)

const SECRET_WORDS = [
  'auth',
  'token',
  'secret',
  'password',
  'passwd',
  'key',
  'cookie',
  'signature',
  'sig',
  'credential',
  'session',
]

/** Whether a header or query parameter of this name is likely to carry a secret. */
export function isSecretName(name: string): boolean {
  const n = name.toLowerCase()
  return SECRET_WORDS.some((w) => n.includes(w))
}

/**
 * `value` when the header `name` is not a likely secret, else `***`. An Authorization-like
 * value keeps its scheme (`Bearer ***`), so it still says what kind of credential is sent.
 */
export function redactHeader(name: string, value: string, hide: Hide = hideAll): string {
  if (!isSecretName(name)) return value
  const space = value.indexOf(' ')
  if (space >= 0 && name.toLowerCase().includes('authorization')) {
    const scheme = value.slice(0, space)
    if (/^[A-Za-z]*$/.test(scheme)) return `${scheme} ${hide(value.slice(space + 1))}`
  }
  return hide(value)
}

/**
 * The URL with its password and the values of likely-secret query parameters replaced by
 * `***`. A URL that does not parse is cut before its query and its userinfo's secret, which
 * is where secrets go.
 */
export function redactUrl(text: string, hide: Hide = hideAll): string {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return redactUnparsed(text)
  }
  if (url.password) url.password = hide(decodeOr(url.password))
  if (url.search) {
    // Re-serialized as the master's `url` crate does (application/x-www-form-urlencoded).
    const pairs = [...url.searchParams].map(([k, v]): [string, string] => [k, isSecretName(k) ? hide(v) : v])
    url.search = new URLSearchParams(pairs).toString()
  }
  return url.href
}

/** A percent-encoded part of a URL decoded, or as it is when it does not decode. */
function decodeOr(part: string): string {
  try {
    return decodeURIComponent(part)
  } catch {
    return part
  }
}

function redactUnparsed(text: string): string {
  const q = text.search(/[?#]/)
  const end = q < 0 ? text.length : q
  const head = text.slice(0, end)
  const tail = end < text.length ? '?...' : ''
  const at = head.lastIndexOf('@')
  const scheme = head.indexOf('://')
  if (at >= 0 && scheme >= 0 && scheme < at) return `${head.slice(0, scheme + 3)}${REDACTED}@${head.slice(at + 1)}${tail}`
  return head + tail
}

/** The method an HTTP job sends: the one given, or GET. */
export const httpMethod = (http: HttpRequest) => http.method || 'GET'

/** `METHOD URL` with the URL's secrets hidden, as the master writes it in records. */
export const describeHttp = (http: HttpRequest) => `${httpMethod(http)} ${redactUrl(http.url)}`

/** What a job runs, as it may be shown: its command, or its HTTP request described. */
export const jobWhat = (job: Job) => (job.http ? describeHttp(job.http) : job.command)

/** Headers with the values of likely secrets hidden. */
const redactHeaders = (headers: Record<string, string>, hide: Hide) =>
  Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, redactHeader(k, v, hide)]))

/** The request with its URL's and headers' secrets hidden. */
export function redactHttp(http: HttpRequest, hide: Hide = hideAll): HttpRequest {
  const out: HttpRequest = { ...http, url: redactUrl(http.url, hide) }
  if (http.headers) out.headers = redactHeaders(http.headers, hide)
  return out
}

/** The webhook with its URL's and headers' secrets hidden, as the master's `Webhook::redacted_with`. */
export function redactWebhook(hook: Webhook, hide: Hide = hideAll): Webhook {
  const out: Webhook = { ...hook, url: hideWebhookPath(redactUrl(hook.url, hide), hide) }
  if (hook.headers) out.headers = redactHeaders(hook.headers, hide)
  return out
}

/**
 * A webhook URL with its path (past the first `/`) hidden: chat and incident webhooks carry
 * their secret in the path (`/services/T000/B000/XXXX`), as the master hides it.
 */
function hideWebhookPath(url: string, hide: Hide): string {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return url
  }
  const path = parsed.pathname.replace(/^\/+/, '')
  if (!path) return url
  parsed.pathname = `/${hide(decodeURIComponent(path))}`
  return parsed.toString()
}

/** A webhook's URL as it may be shown: its secrets, path included, hidden. */
export function webhookUrlShown(url: string): string {
  return hideWebhookPath(redactUrl(url, hideAll), hideAll)
}

/** The job with the secrets of its HTTP request and of its webhooks hidden. */
export function redactJob(job: Job, hide: Hide = hideAll): Job {
  if (!job.http && !job.notify?.length) return job
  const out: Job = { ...job }
  if (job.http) out.http = redactHttp(job.http, hide)
  if (job.notify?.length) out.notify = job.notify.map((h) => redactWebhook(h, hide))
  return out
}

/** The statuses an HTTP job expects, in words: "2xx", "200", "200 or 204". */
export function expectedStatuses(http: HttpRequest): string {
  const codes = normalizeExpect(http.expectStatus)
  return codes.length ? codes.join(' or ') : '2xx'
}

/** `expectStatus` as a list (the API accepts one number too). */
export function normalizeExpect(v: HttpRequest['expectStatus']): number[] {
  if (v === undefined || v === null) return []
  return Array.isArray(v) ? v : [v]
}
