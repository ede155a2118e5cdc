/**
 * Where the CPU went while a measurement ran: this Node process (the app, its driver and the load
 * generator), the Neo4j JVM (its own process CPU time, read over JMX) and everything else on the
 * machine. On a small shared machine this says whether a figure was bounded by the service's own
 * work or by its neighbours.
 */
import { cpus, loadavg } from 'node:os'
import type { Database } from '../../src/db/database.js'
import { fmt } from './stats.js'

export interface CpuShare {
  /** Average cores busy over the measurement. */
  node: number
  neo4j: number
  other: number
  machine: number
  cores: number
}

function machineTimes(): { busy: number; total: number } {
  let busy = 0
  let total = 0
  for (const cpu of cpus()) {
    const { user, nice, sys, irq, idle } = cpu.times
    busy += user + nice + sys + irq
    total += user + nice + sys + irq + idle
  }
  return { busy, total }
}

/** Nanoseconds of CPU the Neo4j JVM has used, or NaN where JMX is not available (e.g. Aura). */
async function neo4jCpuNanos(db: Database): Promise<number> {
  try {
    const [row] = await db.readRows<{ cpu: number | null }>(
      "CALL dbms.queryJmx('java.lang:type=OperatingSystem') YIELD attributes RETURN attributes.ProcessCpuTime.value AS cpu"
    )
    return typeof row?.cpu === 'number' ? row.cpu : Number.NaN
  } catch {
    return Number.NaN
  }
}

export async function withCpu<T>(
  db: Database,
  work: () => Promise<T>
): Promise<{ result: T; cpu: CpuShare }> {
  const neo4jBefore = await neo4jCpuNanos(db)
  const machineBefore = machineTimes()
  const nodeBefore = process.cpuUsage()
  const started = performance.now()
  const result = await work()
  const elapsedMs = performance.now() - started
  const node = process.cpuUsage(nodeBefore)
  const machineAfter = machineTimes()
  const neo4jAfter = await neo4jCpuNanos(db)

  const cores = cpus().length
  const total = machineAfter.total - machineBefore.total
  const machine = total > 0 ? ((machineAfter.busy - machineBefore.busy) / total) * cores : Number.NaN
  const nodeCores = (node.user + node.system) / 1000 / elapsedMs
  const neo4j = (neo4jAfter - neo4jBefore) / 1e6 / elapsedMs
  const other = Number.isFinite(neo4j) ? Math.max(0, machine - nodeCores - neo4j) : Number.NaN
  return { result, cpu: { node: nodeCores, neo4j, other, machine, cores } }
}

/** What most likely bounded a measurement, judged from where its CPU went. */
export function bound(cpu: CpuShare): string {
  const busy = cpu.node + cpu.neo4j + cpu.other
  const split = `Node ${fmt(cpu.node, 2)}, Neo4j ${fmt(cpu.neo4j, 2)}, other ${fmt(cpu.other, 2)}`
  if (cpu.node >= 0.9) return `this process's single event loop (${split} cores)`
  if (busy >= 0.9 * cpu.cores) return `CPU, ${fmt(busy, 2)} of ${cpu.cores} cores busy (${split})`
  return (
    `partly CPU, ${fmt(busy, 2)} of ${cpu.cores} cores busy (${split}); the rest of the wait is outside ` +
    'CPU work: scheduling, lock waits in Neo4j, round trips to it'
  )
}

/** The one-minute load average against the core count, for the section text. */
export function loadNote(): string {
  return `${loadavg()[0]?.toFixed(1) ?? 'n/a'} on ${cpus().length} cores`
}

/** Shares of runs pooled, each weighted by how long it ran. */
export function poolCpu(runs: ReadonlyArray<{ cpu: CpuShare; seconds: number }>): CpuShare {
  const total = runs.reduce((sum, r) => sum + r.seconds, 0)
  const mean = (pick: (c: CpuShare) => number): number =>
    runs.reduce((sum, r) => sum + pick(r.cpu) * r.seconds, 0) / total
  return {
    node: mean((c) => c.node),
    neo4j: mean((c) => c.neo4j),
    other: mean((c) => c.other),
    machine: mean((c) => c.machine),
    cores: runs[0]?.cpu.cores ?? 0
  }
}
