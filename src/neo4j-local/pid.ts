// The pidfile is how separate CLI invocations (`db start`, `db status`, `db stop`) find the detached JVM.
// A pid alone can be recycled after a reboot, so on Linux the command line is checked as well.
import { readFileSync } from 'node:fs'
import { readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

export function pidFilePath(home: string): string {
  return join(home, 'run', 'neo4j.pid')
}

export function parsePidFile(text: string): number | undefined {
  const trimmed = text.trim()
  if (!/^\d+$/.test(trimmed)) return undefined
  const pid = Number(trimmed)
  return Number.isSafeInteger(pid) && pid > 1 ? pid : undefined
}

export async function readPidFile(home: string): Promise<number | undefined> {
  try {
    return parsePidFile(await readFile(pidFilePath(home), 'utf8'))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}

export async function writePidFile(home: string, pid: number): Promise<void> {
  await writeFile(pidFilePath(home), `${pid}\n`)
}

export async function removePidFile(home: string): Promise<void> {
  await rm(pidFilePath(home), { force: true })
}

function procText(pid: number, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8')
  } catch {
    return undefined
  }
}

/** Reads the state letter from /proc/<pid>/stat; the command name may itself contain spaces or parentheses. */
export function parseProcState(stat: string): string | undefined {
  const end = stat.lastIndexOf(')')
  return end < 0 ? undefined : stat.slice(end + 2, end + 3) || undefined
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false
  }
  // A zombie has exited already; where nothing reaps orphans it would otherwise look alive for ever.
  const stat = procText(pid, 'stat')
  return stat === undefined || parseProcState(stat) !== 'Z'
}

/** Whether `pid` is a live Neo4j started for `home` (without /proc, liveness is all we can check). */
export function isServerOf(pid: number, home: string): boolean {
  if (!isAlive(pid)) return false
  const cmdline = procText(pid, 'cmdline')
  if (cmdline === undefined) return true
  return cmdline.split('\0').includes(`--home-dir=${home}`)
}
