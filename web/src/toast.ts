// Messages for the user: the server's message on an application error, a line on success.
import { reactive } from 'vue'
import { ApiError, UNAUTHENTICATED } from './api'

export interface Toast {
  id: number
  kind: 'error' | 'ok' | 'info'
  text: string
}

export const toasts = reactive<Toast[]>([])
let nextId = 1

export function notify(text: string, kind: Toast['kind'] = 'info', ms = kind === 'error' ? 8000 : 3500) {
  const id = nextId++
  toasts.push({ id, kind, text })
  window.setTimeout(() => dismiss(id), ms)
}

export function dismiss(id: number) {
  const i = toasts.findIndex((t) => t.id === id)
  if (i >= 0) toasts.splice(i, 1)
}

export function errorText(e: unknown): string {
  if (e instanceof ApiError) return e.message
  if (e instanceof Error) return e.message
  return String(e)
}

/** Shows an error from a failed call; `what` says what was being done. */
export function reportError(e: unknown, what?: string) {
  // A missing or refused token brings up the sign-in screen, which says so.
  if (e instanceof ApiError && e.code === UNAUTHENTICATED) return
  const text = errorText(e)
  notify(what ? `${what}: ${text}` : text, 'error')
}
