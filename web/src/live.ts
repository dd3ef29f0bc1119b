// The master's event stream (`GET /api/v1/events`), shared by every view. One EventSource
// for the whole app; views subscribe with `useLive` for as long as they are mounted.
//
// - `resync` (sent first, and whenever the server dropped events for us) and every re-open
//   after a lost connection make each view re-read what it shows: events missed while away
//   are never replayed, so a re-read is the only way to be right again.
// - EventSource reconnects by itself after a network error; it gives up only when an answer
//   is not an event stream (a proxy's error page, say), and then we open a new one with backoff.

import { onMounted, onUnmounted, reactive } from 'vue'
import { API } from './api'
import type { ExecutionEvent, JobEvent, WorkerEvent } from './types'

export interface LiveHandlers {
  resync?: () => void
  job?: (e: JobEvent) => void
  execution?: (e: ExecutionEvent) => void
  worker?: (e: WorkerEvent) => void
}

export const connection = reactive({
  // 'connecting' until the first open; 'lost' from an error until the next open.
  state: 'connecting' as 'connecting' | 'open' | 'lost',
  lostSince: 0,
})

const subscribers = new Set<LiveHandlers>()
let source: EventSource | null = null
let retryDelay = 1000
let resyncTimer: number | undefined

function dispatch<K extends keyof LiveHandlers>(kind: K, payload?: unknown) {
  for (const s of subscribers) {
    const h = s[kind] as ((p: unknown) => void) | undefined
    if (!h) continue
    try {
      h(payload)
    } catch (e) {
      console.error(`live ${kind} handler failed`, e)
    }
  }
}

// A re-open is followed at once by the server's own `resync`; the two are folded into one
// re-read.
function resyncSoon() {
  if (resyncTimer !== undefined) return
  resyncTimer = window.setTimeout(() => {
    resyncTimer = undefined
    dispatch('resync')
  }, 50)
}

function parse(ev: MessageEvent): unknown {
  try {
    return JSON.parse(ev.data as string)
  } catch {
    console.warn('event with a body that is not JSON', ev.data)
    return undefined
  }
}

function open() {
  const es = new EventSource(`${API}/events`)
  source = es
  es.onopen = () => {
    const wasLost = connection.state === 'lost'
    connection.state = 'open'
    retryDelay = 1000
    if (wasLost) resyncSoon()
  }
  es.onerror = () => {
    if (connection.state !== 'lost') connection.lostSince = Date.now()
    connection.state = 'lost'
    if (es.readyState === EventSource.CLOSED) {
      // The browser gave up on this one; keep trying with a new stream.
      es.close()
      if (source === es) source = null
      window.setTimeout(open, retryDelay)
      retryDelay = Math.min(retryDelay * 2, 15000)
    }
  }
  es.addEventListener('resync', () => resyncSoon())
  for (const kind of ['job', 'execution', 'worker'] as const) {
    es.addEventListener(kind, (ev) => {
      const data = parse(ev as MessageEvent)
      if (data !== undefined) dispatch(kind, data)
    })
  }
}

export function startLive() {
  if (!source) open()
}

/** Subscribes the calling component to the event stream while it is mounted. */
export function useLive(handlers: LiveHandlers) {
  onMounted(() => subscribers.add(handlers))
  onUnmounted(() => subscribers.delete(handlers))
}
