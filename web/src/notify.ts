// Notifications as the UI shows them: a job's webhooks in words (secrets hidden), which
// events a webhook is called for, and a run's deliveries. The worker delivers a run's notices
// after the run ends and sends its record again with `notifications` added; that copy may
// come after the first one (from the event stream or from a read), so a record's deliveries
// are never replaced by a copy that has fewer (`keepDeliveries`), as the stores keep the copy
// with more.
import { redactUrl, webhookUrlShown } from './redact'
import { DEFAULT_NOTICE_EVENTS } from './types'
import type { Delivery, ExecutionRecord, ExecutionStatus, Job, NoticeEvent, Webhook } from './types'

/** The events a webhook is called for: its `on`, or the default set. */
export const hookEvents = (hook: Webhook): readonly NoticeEvent[] =>
  hook.on?.length ? hook.on : DEFAULT_NOTICE_EVENTS

/** Whether the webhook is called for `event`. */
export const wants = (hook: Webhook, event: NoticeEvent) => hookEvents(hook).includes(event)

/** `https://…?token=*** (failure, timeout)`: a webhook as a list may show it. */
export function describeHook(hook: Webhook): string {
  const events = hook.on?.length ? hook.on.join(', ') : `default: ${DEFAULT_NOTICE_EVENTS.join(', ')}`
  return `${webhookUrlShown(hook.url)} (${events})`
}

/** The title of a job's bell: its webhooks, secrets hidden, and its expected duration. */
export function notifyTitle(job: Job): string {
  const hooks = job.notify ?? []
  const lines = [`Notifies ${hooks.length} webhook${hooks.length === 1 ? '' : 's'}:`, ...hooks.map((h) => `• ${describeHook(h)}`)]
  if (job.expectedSeconds) lines.push(`overdue after ${job.expectedSeconds} s`)
  return lines.join('\n')
}

/** The deliveries of a run that got no 2xx. */
export const undelivered = (r: ExecutionRecord): Delivery[] => (r.notifications ?? []).filter((d) => !d.delivered)

/** The title of a record's undelivered-notice marker. */
export function undeliveredTitle(r: ExecutionRecord): string {
  const failed = undelivered(r)
  return [
    `${failed.length} notice${failed.length === 1 ? '' : 's'} not delivered:`,
    ...failed.map((d) => `• ${d.event} to ${redactUrl(d.url)}${d.error ? `: ${d.error}` : ''}`),
  ].join('\n')
}

/**
 * `next`, with `prev`'s deliveries when it has fewer: both are copies of one run's record,
 * whose deliveries only grow, and a copy announced or read before they were added must not
 * hide them.
 */
export function keepDeliveries(next: ExecutionRecord, prev: ExecutionRecord | null | undefined): ExecutionRecord {
  if (!prev || prev.executionId !== next.executionId) return next
  const had = prev.notifications?.length ?? 0
  return had > (next.notifications?.length ?? 0) ? { ...next, notifications: prev.notifications } : next
}

const NOTICE_OF_STATUS: Partial<Record<ExecutionStatus, NoticeEvent>> = {
  failed: 'failure',
  timeout: 'timeout',
  skipped: 'skipped',
  lost: 'lost',
}

/**
 * Whether the job's own webhooks are likely to be told of this ended run, so that its record
 * gains deliveries: its status calls for a notice one of them wants, a success may be a
 * recovery one wants, or it ran past `expectedSeconds` and one wants `overdue`. The cluster's
 * default webhooks (a worker setting) are unknown here: for a job without its own, false.
 */
export function expectsDeliveries(job: Job, r: ExecutionRecord, durationMs: number | null): boolean {
  const hooks = job.notify ?? []
  if (!hooks.length || r.status === 'running') return false
  const kind = NOTICE_OF_STATUS[r.status]
  if (kind && hooks.some((h) => wants(h, kind))) return true
  if (r.status === 'success' && hooks.some((h) => wants(h, 'recovery'))) return true
  const expected = job.expectedSeconds ?? 0
  return expected > 0 && (durationMs ?? 0) > expected * 1000 && hooks.some((h) => wants(h, 'overdue'))
}
