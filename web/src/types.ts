// The shapes of the REST API (docs/rest-api.md). Jobs are kept as open records: the UI edits
// the fields it knows and sends every other field back as it came.

export type Overlap = 'allow' | 'forbid' | 'replace'

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
  trigger?: 'schedule' | 'manual' | 'retry' | 'catch-up'
  attempt?: number
  outputTruncated?: boolean
  status: ExecutionStatus
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
