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

export type JobEvent = { kind: 'saved'; job: Job } | { kind: 'deleted'; job: { name: string } }
export interface ExecutionEvent {
  kind: 'started' | 'finished'
  record: ExecutionRecord
}
export interface WorkerEvent {
  worker: Worker
}
