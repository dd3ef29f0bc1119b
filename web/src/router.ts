// A hash router: the master serves the UI as static files at `/`, and a hash route needs no
// server-side fallback to index.html. Five pages do not justify vue-router and its deps.
import { reactive } from 'vue'

export type Page = 'jobs' | 'executions' | 'stats' | 'workers' | 'audit'
const PAGES: Page[] = ['jobs', 'executions', 'stats', 'workers', 'audit']

export const route = reactive({
  page: 'jobs' as Page,
  // The path after the page (`#/stats/backup` → ['backup']).
  params: [] as string[],
  query: {} as Record<string, string>,
})

function parse() {
  const raw = window.location.hash.replace(/^#\/?/, '')
  const [path = '', qs = ''] = raw.split('?', 2)
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent)
  const page = PAGES.includes(parts[0] as Page) ? (parts[0] as Page) : 'jobs'
  route.page = page
  route.params = parts.slice(1)
  route.query = Object.fromEntries(new URLSearchParams(qs))
}

export function href(page: Page, params: string[] = [], query: Record<string, string | number | undefined> = {}) {
  const path = [page, ...params.map(encodeURIComponent)].join('/')
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') q.set(k, String(v))
  const qs = q.toString()
  return `#/${path}${qs ? `?${qs}` : ''}`
}

export function navigate(page: Page, params: string[] = [], query: Record<string, string | number | undefined> = {}) {
  window.location.hash = href(page, params, query)
}

/** Changes the query of the current page without adding a history entry per keystroke. */
export function replaceQuery(query: Record<string, string | number | undefined>) {
  const h = href(route.page, route.params, query)
  if (h !== window.location.hash) {
    history.replaceState(null, '', h)
    parse()
  }
}

export function startRouter() {
  window.addEventListener('hashchange', parse)
  parse()
}
