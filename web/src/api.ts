// The one client of the REST API. Every answer is an envelope {code, message, data};
// a code other than 0 (at HTTP 200, as the old system did) becomes an ApiError carrying the
// server's message, which the views show as it is. Every call sends the token in use
// (`auth.ts`); a 401 (code 3001) brings up the sign-in screen, a 403 (code 3003: the token's
// role is too low) is an error like any other. Every call names the UI as its client
// (`x-schedd-client: web`), which the audit trail records with each change.

import type {
  AuditPage,
  ExecutionRecord,
  Info,
  Job,
  LogPage,
  NextTimes,
  Stats,
  Worker,
  WorkerStats,
} from './types'
import { auth, authHeaders, refused } from './auth'

export const API = '/api/v1'

/** How the UI names itself to the master, in the audit trail's `client`. */
export const CLIENT_HEADERS: Record<string, string> = { 'x-schedd-client': 'web' }

interface Envelope<T> {
  code: number
  message: string
  data: T
}

/** Envelope codes of a refused token: none or unknown (HTTP 401), role too low (HTTP 403). */
export const UNAUTHENTICATED = 3001
export const PERMISSION_DENIED = 3003

export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message)
  }
}

type Query = Record<string, string | number | boolean | undefined | null>

function withQuery(path: string, query?: Query): string {
  if (!query) return path
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v))
  }
  const qs = params.toString()
  return qs ? `${path}?${qs}` : path
}

async function call<T>(
  method: string,
  path: string,
  query?: Query,
  body?: unknown,
  extra?: Record<string, string>,
): Promise<T> {
  return (await callTagged<T>(method, path, query, body, extra)).data
}

/// A call whose answer's ETag (a job's revision) matters, with extra request headers.
async function callTagged<T>(
  method: string,
  path: string,
  query?: Query,
  body?: unknown,
  extra: Record<string, string> = {},
  // A sign-in checks a token it has not yet made the one in use.
  check?: { token: string },
): Promise<{ data: T; etag: string }> {
  const token = check ? check.token : auth.token
  let res: Response
  try {
    const headers: Record<string, string> = { ...CLIENT_HEADERS, ...extra, ...authHeaders(token) }
    if (body !== undefined) headers['content-type'] = 'application/json'
    res = await fetch(API + withQuery(path, query), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    })
  } catch (e) {
    throw new ApiError(`cannot reach the master: ${(e as Error).message}`, -1)
  }
  let env: Envelope<T>
  try {
    env = (await res.json()) as Envelope<T>
  } catch {
    const message = `${method} ${path}: HTTP ${res.status} ${res.statusText}`
    if (res.status === 401) return unauthenticated(token, message, !check)
    throw new ApiError(message, -1)
  }
  if (typeof env !== 'object' || env === null || typeof env.code !== 'number') {
    throw new ApiError(`${method} ${path}: unexpected answer (HTTP ${res.status})`, -1)
  }
  if (env.code !== 0) {
    const message = env.message || `error ${env.code}`
    if (env.code === UNAUTHENTICATED || res.status === 401) return unauthenticated(token, message, !check)
    throw new ApiError(message, env.code)
  }
  return { data: env.data, etag: res.headers.get('etag') ?? '' }
}

/** A 401: the sign-in screen is asked for (unless a sign-in is checking this token). */
function unauthenticated(token: string | null, message: string, report: boolean): never {
  if (report) refused(token, message)
  throw new ApiError(message, UNAUTHENTICATED)
}

const seg = encodeURIComponent

export const api = {
  listJobs: (keyword?: string) => call<Job[]>('GET', '/job/list', { keyword }),
  getJob: (name: string) => call<Job>('GET', `/job/${seg(name)}`),
  /** The job and its ETag, for an edit that must not overwrite someone else's change. */
  getJobTagged: (name: string) => callTagged<Job>('GET', `/job/${seg(name)}`),
  /**
   * Saves a job: with `etag` (from getJobTagged) only if nobody changed it since; without,
   * only if there is no job of that name yet (a new job never replaces one).
   */
  saveJob: (job: Job, etag?: string) =>
    call<Job>('POST', '/job/save', undefined, job, etag ? { 'if-match': etag } : { 'if-none-match': '*' }),
  deleteJob: (name: string) => call<Job>('DELETE', `/job/${seg(name)}`),
  killJob: (name: string) => call<null>('POST', `/job/kill/${seg(name)}`),
  disableJob: (name: string) => call<Job>('POST', `/job/disable/${seg(name)}`),
  enableJob: (name: string) => call<Job>('POST', `/job/enable/${seg(name)}`),
  runJob: (name: string) => call<{ executionId: string }>('POST', `/job/run/${seg(name)}`),
  runningJobs: () => call<string[]>('GET', '/job/running'),
  nextOfJob: (name: string, count = 5) =>
    call<NextTimes>('GET', `/job/next/${seg(name)}`, { count }),
  nextOfExpr: (cronExpr: string, timezone: string, count = 5) =>
    call<NextTimes>('GET', '/job/next', { cronExpr, timezone, count }),

  listLogs: (q: {
    jobName?: string
    page?: number
    pageSize?: number
    status?: string
    since?: number
    until?: number
    /** Unix seconds: only the runs of that tick (plan time, to the second). */
    tick?: number
  }) => call<LogPage>('GET', '/log/list', q),
  latestLog: (name: string) => call<ExecutionRecord>('GET', `/log/${seg(name)}`),
  logAt: (name: string, startTime: number) =>
    call<ExecutionRecord>('GET', `/log/${seg(name)}/${startTime}`),
  stats: (name: string, days: number) => call<Stats>('GET', `/log/stats/${seg(name)}`, { days }),
  statsAll: (days: number) => call<Stats>('GET', '/log/stats/all', { days }),
  runningLogs: (jobName?: string) => call<ExecutionRecord[]>('GET', '/log/running', { jobName }),

  /** The audit trail, newest first; `since` and `until` in Unix seconds (`until` excluded). */
  listAudit: (q: {
    target?: string
    actor?: string
    action?: string
    since?: number
    until?: number
    page?: number
    pageSize?: number
  }) => call<AuditPage>('GET', '/audit/list', q),

  workers: () => call<Worker[]>('GET', '/worker/list'),
  workerStats: () => call<WorkerStats>('GET', '/worker/stats'),
  info: () => call<Info>('GET', '/info'),
  /**
   * Whether `token` is accepted, by reading `/info` with it: an ApiError with the master's
   * message if not. A refusal here is the answer asked for, so it does not touch the token in
   * use or the sign-in screen.
   */
  checkToken: async (token: string): Promise<Info> =>
    (await callTagged<Info>('GET', '/info', undefined, undefined, {}, { token })).data,
}

/** The live output of a job's runs; `withAccessToken` it for an EventSource. */
export function tailUrl(name: string): string {
  return `${API}/log/tail/${seg(name)}?follow=true`
}
