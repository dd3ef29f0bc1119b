// Job dependencies: a job's `onSuccess` and `onFailure` name the jobs a run of it starts when
// it ends (the master refuses names of jobs that do not exist, and cycles). Here: the chain
// around one job as the jobs page shows it, the names as the form edits them, and the record
// of the run that started another (a `dependency` run knows only its parent's execution id;
// there is no route by execution id, so the parent is looked for in the log).
import { api } from './api'
import type { ExecutionRecord, Job } from './types'

export type DependencyKind = 'onSuccess' | 'onFailure'
export const DEPENDENCY_KINDS: DependencyKind[] = ['onSuccess', 'onFailure']

/** How a dependency reads: `on success`, `on failure`. */
export const kindWords = (kind: DependencyKind) => (kind === 'onSuccess' ? 'on success' : 'on failure')

/** One link of a job's chain: `→ report (on success)` or `← import (on failure)`. */
export interface ChainLink {
  /** `starts`: this job starts `job`; `startedBy`: `job` starts this one. */
  dir: 'starts' | 'startedBy'
  job: string
  kind: DependencyKind
  /** The named job does not exist (deleted since: the master lets a named job go). */
  missing: boolean
}

/**
 * Every job's chain, by name: what it starts, then what starts it. Built once for all jobs
 * (not per row: the jobs page re-renders every second).
 */
export function chains(all: Map<string, Job>): Map<string, ChainLink[]> {
  const starts = new Map<string, ChainLink[]>()
  const startedBy = new Map<string, ChainLink[]>()
  const push = (m: Map<string, ChainLink[]>, name: string, link: ChainLink) => {
    const list = m.get(name)
    if (list) list.push(link)
    else m.set(name, [link])
  }
  for (const job of all.values()) {
    for (const kind of DEPENDENCY_KINDS) {
      for (const name of job[kind] ?? []) {
        push(starts, job.name, { dir: 'starts', job: name, kind, missing: !all.has(name) })
        push(startedBy, name, { dir: 'startedBy', job: job.name, kind, missing: false })
      }
    }
  }
  const out = new Map<string, ChainLink[]>()
  for (const name of new Set([...starts.keys(), ...startedBy.keys()])) {
    out.set(name, [...(starts.get(name) ?? []), ...(startedBy.get(name) ?? [])])
  }
  return out
}

/** Job names as typed: separated by commas or spaces (names hold neither). */
export const parseNames = (text: string) => text.split(/[\s,]+/).filter(Boolean)

/** Job names as the form shows them. */
export const formatNames = (names: string[] | undefined) => (names ?? []).join(', ')

/** The creation time (Unix ms) of a UUIDv7, which execution ids are; null for another id. */
export function uuidV7Ms(id: string): number | null {
  const hex = id.replace(/-/g, '')
  if (!/^[0-9a-f]{32}$/i.test(hex) || hex[12] !== '7') return null
  return parseInt(hex.slice(0, 12), 16)
}

// The parent's id is made by one node and its start time stamped by another: this much clock
// difference between them is allowed for.
const CLOCK_SLACK_S = 300
// At most this many pages of records are read for one job (or for all).
const MAX_PAGES = 10
const PAGE_SIZE = 500

/**
 * The stored record of the run `parentId` that started `child`, or null if it is not (yet)
 * in the log. The parent started between the creation of its id (a UUIDv7 holds the time)
 * and the child's start, so only that window is read: first for the jobs that name the
 * child now (`likely`), then for every job (the dependency may have been changed since).
 */
export async function findParentRun(
  parentId: string,
  child: ExecutionRecord,
  likely: string[],
): Promise<ExecutionRecord | null> {
  const born = uuidV7Ms(parentId)
  const since = born === null ? undefined : Math.floor(born / 1000) - CLOCK_SLACK_S
  // `until` is exclusive; the parent may have started in the child's second.
  const until = child.startTime ? child.startTime + 1 : undefined
  const look = async (jobName?: string) => {
    for (let page = 1; page <= MAX_PAGES; page++) {
      const r = await api.listLogs({ jobName, since, until, page, pageSize: PAGE_SIZE })
      const hit = r.logs.find((x) => x.executionId === parentId)
      if (hit) return hit
      if (page * PAGE_SIZE >= r.total) break
    }
    return null
  }
  for (const name of likely) {
    const hit = await look(name)
    if (hit) return hit
  }
  return look()
}

/** The jobs that name `name` in their `onSuccess` or `onFailure`. */
export const startersOf = (name: string, jobs: Job[]) =>
  jobs.filter((j) => DEPENDENCY_KINDS.some((k) => j[k]?.includes(name))).map((j) => j.name)
