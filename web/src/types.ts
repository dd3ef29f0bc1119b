// The shapes of the REST API (docs/rest-api.md). Jobs are kept as open records: the UI edits
// the fields it knows and sends every other field back as it came.

export type Overlap = 'allow' | 'forbid' | 'replace'

/**
 * Where a tick runs: `one` worker matching the selector (the default), or `all` of them (a
 * broadcast job), each run told its place by `SCHEDD_SHARD_INDEX` (0-based) and
 * `SCHEDD_SHARD_TOTAL`. The runs of one broadcast tick share their `planTime`.
 */
export type RunOn = 'one' | 'all'

export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const
export type HttpMethod = (typeof HTTP_METHODS)[number]

/**
 * The request an HTTP job makes on each run, in place of a command (the job's `command` is
 * then ""). Its URL and headers may hold secrets: show them through `redact.ts`.
 */
export interface HttpRequest {
  /** GET when absent. */
  method?: HttpMethod
  /** http or https. */
  url: string
  headers?: Record<string, string>
  body?: string
  /** Statuses that count as success (one number is accepted too); any 2xx when absent. */
  expectStatus?: number[] | number
  /** Seconds; 0 or absent: the job's `timeout` bounds the request. */
  timeout?: number
}

/**
 * What a notice is about: a run failed or timed out (after its retries), the first success
 * after a failure or timeout (`recovery`), a skipped tick, a run lost with its worker, a run
 * still going past the job's `expectedSeconds` (`overdue`).
 */
export const NOTICE_EVENTS = ['failure', 'timeout', 'recovery', 'skipped', 'lost', 'overdue'] as const
export type NoticeEvent = (typeof NOTICE_EVENTS)[number]

/** What a webhook without `on` (or with an empty one) is called for. */
export const DEFAULT_NOTICE_EVENTS: readonly NoticeEvent[] = ['failure', 'timeout', 'recovery', 'lost']

/** Most webhooks a job may have. */
export const MAX_WEBHOOKS = 8

/**
 * A webhook: the worker POSTs a JSON notice to `url` with `headers`, for the events in `on`
 * (absent or empty: `DEFAULT_NOTICE_EVENTS`), and tries again (4 attempts in all) until a
 * 2xx comes. Its URL and headers may hold secrets: show them through `redact.ts`.
 */
export interface Webhook {
  url: string
  headers?: Record<string, string>
  on?: NoticeEvent[]
  // Fields this UI does not know are preserved on edit.
  [key: string]: unknown
}

/** One notice's delivery to one webhook, as a run's record keeps it. */
export interface Delivery {
  /** A `NoticeEvent`; a string, so that an event this UI does not know is shown as it is. */
  event: string
  /** The webhook's URL, its secrets already hidden by the master. */
  url: string
  /** Whether a 2xx answer came. */
  delivered: boolean
  attempts: number
  /** The last answer's status; 0 (or absent) when none came. */
  status?: number
  /** Why the last attempt failed; absent once delivered. */
  error?: string
  /** When the delivery ended, Unix ms. */
  atMs: number
}

export interface Job {
  name: string
  command: string
  cronExpr: string
  timeout: number
  disabled: boolean
  createdAt?: number
  updatedAt?: number
  timezone?: string
  overlap?: Overlap
  retries?: number
  retryBackoffMs?: number
  selector?: Record<string, string>
  env?: Record<string, string>
  description?: string
  maxOutputBytes?: number
  catchUpSeconds?: number
  jitterMs?: number
  /** An HTTP job's request; such a job has `command: ""`. */
  http?: HttpRequest
  /** Jobs started when a run of this one succeeds (after its retries); absent: none. */
  onSuccess?: string[]
  /** Jobs started when a run of this one fails or times out (after its retries); absent: none. */
  onFailure?: string[]
  /** Absent: `one`. */
  runOn?: RunOn
  /** Webhooks told of this job's runs (at most `MAX_WEBHOOKS`); absent: none of its own. */
  notify?: Webhook[]
  /** Seconds: a run still going past it sends an `overdue` notice; absent: none. */
  expectedSeconds?: number
  // Fields this UI does not know are preserved on edit.
  [key: string]: unknown
}

export type ExecutionStatus =
  | 'running'
  | 'success'
  | 'failed'
  | 'timeout'
  | 'killed'
  | 'skipped'
  | 'lost'

export const EXECUTION_STATUSES: ExecutionStatus[] = [
  'running',
  'success',
  'failed',
  'timeout',
  'killed',
  'skipped',
  'lost',
]

/** Why a run started: `dependency` is another job's run ending (its `onSuccess`/`onFailure`). */
export type Trigger = 'schedule' | 'manual' | 'retry' | 'catch-up' | 'dependency'

export interface ExecutionRecord {
  executionId: string
  jobName: string
  command: string
  output: string
  error: string
  stderr: string
  planTime: number
  scheduleTime: number
  startTime: number
  endTime: number
  planTimeMs?: number
  scheduleTimeMs?: number
  startTimeMs?: number
  endTimeMs?: number
  exitCode: number
  isTimeout: boolean
  workerIp: string
  workerId?: string
  trigger?: Trigger
  attempt?: number
  outputTruncated?: boolean
  status: ExecutionStatus
  /** The run whose end started this one (trigger `dependency`); absent otherwise. */
  parentExecutionId?: string
  /**
   * The notices about this run and how their delivery went. They are added after the run
   * ends, so a record may come first without them and again, later, with them.
   */
  notifications?: Delivery[]
}

export interface LogPage {
  logs: ExecutionRecord[]
  total: number
  page: number
  size: number
}

export interface Stats {
  jobName: string
  totalCount: number
  successCount: number
  failCount: number
  timeoutCount: number
  killedCount: number
  avgDuration: number
  p50Duration: number
  p95Duration: number
  successRate: number
  period: number
  lastRun: number | null
}

export interface Worker {
  ip: string
  hostname: string
  cpuUsage: number
  memUsage: number
  lastSeen: number
  status: 'online' | 'offline'
  workerId?: string
  workerIp?: string
  labels?: Record<string, string>
  version?: string
  running?: number
  capacity?: number
}

export interface WorkerStats {
  total: number
  online: number
  offline: number
  running: number
  capacity: number
  avgCpuUsage: number
  avgMemUsage: number
}

export interface NextTimes {
  times: number[]
  timezone: string
  /** The schedule in words. */
  description?: string
}

export interface Info {
  version: string
  mode: string
  defaultTimezone: string
  startedAt: number
}

export interface OutputChunk {
  executionId: string
  jobName: string
  stream: 'stdout' | 'stderr'
  data: string
}

export type AuditAction =
  | 'save'
  | 'delete'
  | 'enable'
  | 'disable'
  | 'run'
  | 'kill'
  | 'token-create'
  | 'token-revoke'

export const AUDIT_ACTIONS: AuditAction[] = [
  'save',
  'delete',
  'enable',
  'disable',
  'run',
  'kill',
  'token-create',
  'token-revoke',
]

/**
 * How a change ended. `pending`: recorded before the change, its end never recorded, so the
 * change may or may not have been made.
 */
export type AuditOutcome = 'done' | 'failed' | 'pending'

export interface AuditActor {
  /** The token's name; `anonymous` without tokens; `user@host` for token changes. */
  name: string
  /** The token's role; empty for token changes. */
  role: string
  /** The caller's `ip:port`, or what else the change came through. */
  source: string
  /** The program that asked (`web`, `schedctl apply`), or its user agent. */
  client: string
}

/** One change, or attempt at one. */
export interface AuditEntry {
  id: string
  /** When the change was asked for, in Unix ms. */
  at: number
  actor: AuditActor
  action: AuditAction
  /** The job's name, or the token's for token actions. */
  target: string
  outcome: AuditOutcome
  error?: string
  /** A run's execution id, a token's role. */
  detail?: string
  /** The job before the change; none for a new job. */
  before?: Job
  /** The job after the change (for a save not made, the job asked for); none once deleted. */
  after?: Job
}

export interface AuditPage {
  /** Newest first. */
  entries: AuditEntry[]
  total: number
  page: number
  size: number
}

export type JobEvent = { kind: 'saved'; job: Job } | { kind: 'deleted'; job: { name: string } }
export interface ExecutionEvent {
  kind: 'started' | 'finished'
  record: ExecutionRecord
}
export interface WorkerEvent {
  worker: Worker
}
