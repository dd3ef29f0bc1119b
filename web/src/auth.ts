// The bearer token the UI presents, and whether the sign-in screen is up.
//
// - A master with tokens answers 401 (code 3001) without a valid one; the first such answer
//   to a call made with the token in use (or with none) brings up the sign-in screen. An answer
//   to a call made with an older token says nothing about the current one, so it is ignored.
// - The token is kept in sessionStorage: it lasts as long as the tab and goes with it. Never
//   localStorage (it would outlive the session and be shared by every tab) and never the
//   address bar (it would land in history and bookmarks).
// - A 403 (code 3003: the token's role is too low) is only an error to show; it signs nobody
//   out. The master has no route that tells a caller's role, so the UI does not guess it: what
//   a role may not do is learned from the 403's message when it is tried.
//
// This module knows no HTTP: `api.ts` reports 401s here, `live.ts` and the views follow the
// state.
import { reactive } from 'vue'

const KEY = 'schedd.token'

function stored(): string | null {
  try {
    return sessionStorage.getItem(KEY) || null
  } catch {
    // Storage can be disabled; the token then lasts until the page is reloaded.
    return null
  }
}

export const auth = reactive({
  /** The token sent with every call, or null. */
  token: stored(),
  /** The sign-in screen is shown. */
  prompt: false,
  /** Why it is shown, when there is more to say than that a token is needed. */
  reason: '',
  /**
   * The views are unmounted until someone signs in: after a sign-out, so that nothing of the
   * previous session stays on the page, and when the first load found a token needed. A token
   * refused mid-session (revoked, say) keeps them, and an unsaved form with them, for after
   * the sign-in.
   */
  cleared: false,
})

/** The `authorization` header for the token in use, if any. */
export function authHeaders(token = auth.token): Record<string, string> {
  return token ? { authorization: `Bearer ${token}` } : {}
}

/** `url` with the token as `access_token`, for EventSource, which cannot send headers. */
export function withAccessToken(url: string): string {
  if (!auth.token) return url
  return `${url}${url.includes('?') ? '&' : '?'}access_token=${encodeURIComponent(auth.token)}`
}

/** A call made with `usedToken` was answered 401 with `message`. */
export function refused(usedToken: string | null, message: string) {
  if (usedToken !== auth.token) return
  if (usedToken) {
    // The token is no good any more (revoked, say): forget it, and say why the sign-in is
    // asked again.
    forget()
    auth.reason = `The token was refused: ${message}`
  } else {
    // Nothing was shown yet but errors: the views start afresh after the sign-in.
    auth.cleared = true
  }
  auth.prompt = true
}

/** Uses `token` from now on (it has been checked). */
export function signedIn(token: string) {
  auth.token = token
  try {
    sessionStorage.setItem(KEY, token)
  } catch {
    // See `stored`.
  }
  auth.prompt = false
  auth.reason = ''
  auth.cleared = false
}

/** Forgets the token and shows the sign-in screen over an emptied page. */
export function signOut() {
  forget()
  auth.reason = ''
  auth.cleared = true
  auth.prompt = true
}

/** The master answered without a token: it needs none, so no sign-in is asked. */
export function tokenNotNeeded() {
  if (auth.token) return
  auth.prompt = false
  auth.reason = ''
  auth.cleared = false
}

function forget() {
  auth.token = null
  try {
    sessionStorage.removeItem(KEY)
  } catch {
    // See `stored`.
  }
}
