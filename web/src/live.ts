// The master's event stream (`GET /api/v1/events`), shared by every view. One EventSource
// for the whole app; views subscribe with `useLive` for as long as they are mounted.
//
// - `resync` (sent first, and whenever the server dropped events for us) and every re-open
//   after a lost connection make each view re-read what it shows: events missed while away
//   are never replayed, so a re-read is the only way to be right again.
// - EventSource reconnects by itself after a network error; it gives up only when an answer
//   is not an event stream (a proxy's error page, say), and then we open a new one with backoff.
// - A master with tokens refuses the stream with a 401 too, and EventSource does not say
//   why it gave up: so when it does, one ordinary call asks, and a 401 to that brings up the
//   sign-in screen (`auth.ts`). While that is up no stream is open; a sign-in (or a sign-out)
//   opens a new one with the token then in use, as `access_token` (EventSource cannot send
//   headers), and every view re-reads.

import { onMounted, onUnmounted, reactive, watch } from 'vue'
import { API, api } from './api'
import { auth, withAccessToken } from './auth'
import type { ExecutionEvent, JobEvent, WorkerEvent } from './types'

export interface LiveHandlers {
  resync?: () => void
  job?: (e: JobEvent) => void
  execution?: (e: ExecutionEvent) => void
  worker?: (e: WorkerEvent) => void
}

export const connection = reactive({
  // 'connecting' until the first open; 'lost' from an error until the next open; 'closed'
  // while the sign-in screen is up.
  state: 'connecting' as 'connecting' | 'open' | 'lost' | 'closed',
  lostSince: 0,
})

const subscribers = new Set<LiveHandlers>()
let source: EventSource | null = null
let retryDelay = 1000
let resyncTimer: number | undefined
let retryTimer: number | undefined

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
  if (source || auth.prompt) return
  const es = new EventSource(withAccessToken(`${API}/events`))
  source = es
  es.onopen = () => {
    if (source !== es) return
    const wasLost = connection.state === 'lost'
    connection.state = 'open'
    retryDelay = 1000
    if (wasLost) resyncSoon()
  }
  es.onerror = () => {
    if (source !== es) return
    if (connection.state !== 'lost') connection.lostSince = Date.now()
    connection.state = 'lost'
    if (es.readyState === EventSource.CLOSED) {
      // The browser gave up on this one; keep trying with a new stream, unless the reason
      // is the token (the call below then brings up the sign-in screen, and `open` waits).
      es.close()
      source = null
      void api.info().catch(() => {})
      window.clearTimeout(retryTimer)
      retryTimer = window.setTimeout(open, retryDelay)
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
  open()
}

// A new stream for each token, none while the sign-in screen is up.
watch(
  () => (auth.prompt ? null : (auth.token ?? '')),
  (key) => {
    source?.close()
    source = null
    window.clearTimeout(retryTimer)
    retryDelay = 1000
    if (key === null) {
      connection.state = 'closed'
      return
    }
    connection.state = 'connecting'
    open()
    // The stream's own `resync` comes too; the two are folded into one re-read.
    resyncSoon()
  },
)

/** Subscribes the calling component to the event stream while it is mounted. */
export function useLive(handlers: LiveHandlers) {
  onMounted(() => subscribers.add(handlers))
  onUnmounted(() => subscribers.delete(handlers))
}
