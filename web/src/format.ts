// How times, durations and loads are written. Times are shown in the browser's zone unless
// a zone is named.
import { ref } from 'vue'

/** The current time in ms, ticking once a second, for relative times and countdowns. */
export const now = ref(Date.now())
window.setInterval(() => (now.value = Date.now()), 1000)

const pad = (n: number) => String(n).padStart(2, '0')

export function fmtTime(unixSeconds: number | null | undefined): string {
  if (!unixSeconds) return '—'
  return fmtMs(unixSeconds * 1000)
}

export function fmtMs(ms: number | null | undefined): string {
  if (!ms) return '—'
  const d = new Date(ms)
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
}

/** A time in a named IANA zone, with the zone's abbreviation. */
export function fmtTimeIn(unixSeconds: number, timeZone: string): string {
  try {
    const parts = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    }).formatToParts(new Date(unixSeconds * 1000))
    const p = (t: string) => parts.find((x) => x.type === t)?.value ?? ''
    return `${p('year')}-${p('month')}-${p('day')} ${p('hour')}:${p('minute')}:${p('second')} ${p('timeZoneName')}`
  } catch {
    return fmtTime(unixSeconds)
  }
}

export const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone

export function fmtDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '—'
  if (ms < 1000) return `${Math.round(ms)}ms`
  const s = ms / 1000
  if (s < 60) return `${s.toFixed(s < 10 ? 2 : 1)}s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m}m${pad(Math.floor(s % 60))}s`
  const h = Math.floor(m / 60)
  return `${h}h${pad(m % 60)}m`
}

export function fmtSeconds(s: number | null | undefined): string {
  return s === null || s === undefined ? '—' : fmtDuration(s * 1000)
}

/** "12s ago", "in 3m": `ms` against now. */
export function fmtRelative(ms: number, nowMs: number): string {
  const d = Math.round((ms - nowMs) / 1000)
  const a = Math.abs(d)
  let t: string
  if (a < 1) return 'now'
  if (a < 60) t = `${a}s`
  else if (a < 3600) t = `${Math.floor(a / 60)}m${a % 60 ? ` ${a % 60}s` : ''}`
  else if (a < 86400) t = `${Math.floor(a / 3600)}h ${Math.floor((a % 3600) / 60)}m`
  else t = `${Math.floor(a / 86400)}d ${Math.floor((a % 86400) / 3600)}h`
  return d < 0 ? `${t} ago` : `in ${t}`
}

export function fmtPercent(fraction: number | null | undefined, digits = 1): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return '—'
  return `${(fraction * 100).toFixed(digits)}%`
}

/** How long a record ran, in ms; a running one has run until now. */
export function recordDurationMs(
  r: { startTime: number; endTime: number; startTimeMs?: number; endTimeMs?: number; status: string },
  nowMs?: number,
): number | null {
  const start = r.startTimeMs || r.startTime * 1000
  if (!start) return null
  if (r.status === 'running') return nowMs !== undefined ? Math.max(0, nowMs - start) : null
  const end = r.endTimeMs || r.endTime * 1000
  if (!end) return null
  return Math.max(0, end - start)
}

export function startMs(r: { startTime: number; startTimeMs?: number }): number {
  return r.startTimeMs || r.startTime * 1000
}

/**
 * A record's tick: its plan time to the second, as `tick=` of /log/list matches it. The runs
 * of one broadcast tick, one per worker, share it.
 */
export function tickOf(r: { planTime: number; planTimeMs?: number }): number {
  return r.planTimeMs ? Math.floor(r.planTimeMs / 1000) : r.planTime
}

/** Unix seconds as the value of a `datetime-local` input (the browser's zone); '' for 0. */
export function toLocalInput(unix: number): string {
  if (!unix) return ''
  const d = new Date(unix * 1000)
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`
}

/** A `datetime-local` input's value as Unix seconds; undefined when empty or not a time. */
export function fromLocalInput(v: string): number | undefined {
  if (!v) return undefined
  const t = new Date(v).getTime()
  return Number.isFinite(t) ? Math.floor(t / 1000) : undefined
}
