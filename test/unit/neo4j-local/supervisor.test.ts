import { describe, expect, it } from 'vitest'
import {
  attemptsAfterRun,
  Neo4jSupervisor,
  nextRestart,
  shortReason
} from '../../../src/neo4j-local/supervisor.js'
import type { RestartPolicy, SupervisedServer } from '../../../src/neo4j-local/supervisor.js'

const policy: RestartPolicy = { attempts: 5, firstDelayMs: 1_000, maxDelayMs: 30_000, stableMs: 60_000 }

describe('nextRestart', () => {
  it('doubles the pause from the first delay, capped, and gives up after the bound', () => {
    const steps = Array.from({ length: 7 }, (_, made) => nextRestart({ ...policy, attempts: 7 }, made))
    expect(steps.map((s) => (s.restart ? s.delayMs : undefined))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000
    ])
    expect(steps.map((s) => (s.restart ? s.attempt : undefined))).toEqual([1, 2, 3, 4, 5, 6, 7])
    expect(nextRestart({ ...policy, attempts: 7 }, 7)).toEqual({ restart: false, attempts: 7 })
  })

  it('gives up at once when no attempts are allowed', () => {
    expect(nextRestart({ ...policy, attempts: 0 }, 0)).toEqual({ restart: false, attempts: 0 })
  })

  it('never waits less than the first delay, even when it is above the cap', () => {
    const slow = { ...policy, firstDelayMs: 45_000 }
    expect(nextRestart(slow, 0)).toEqual({ restart: true, attempt: 1, delayMs: 45_000 })
    expect(nextRestart(slow, 3)).toEqual({ restart: true, attempt: 4, delayMs: 45_000 })
  })
})

describe('attemptsAfterRun', () => {
  it('resets the count only when the server stayed up for the stable time', () => {
    expect(attemptsAfterRun(policy, 3, 59_999)).toBe(3)
    expect(attemptsAfterRun(policy, 3, 60_000)).toBe(0)
    expect(attemptsAfterRun(policy, 0, 10)).toBe(0)
  })
})

describe('shortReason', () => {
  it('keeps the first line of an error, shortened', () => {
    expect(shortReason(new Error('Bolt port 7687 is taken\n--- last lines of neo4j.log ---\nboom'))).toBe(
      'Bolt port 7687 is taken'
    )
    expect(shortReason(new Error('x'.repeat(500)), 10)).toBe(`${'x'.repeat(9)}…`)
    expect(shortReason('')).toBe('unknown error')
  })
})

/** A server whose death the test decides. */
function fakeServer(pid: number): SupervisedServer & { die: (how: string) => void; stopped: boolean } {
  let die: (how: string) => void = () => undefined
  const exited = new Promise<string>((done) => (die = done))
  const server = {
    pid,
    exited,
    stopped: false,
    die: (how: string) => die(how),
    stop: async () => {
      server.stopped = true
      die('signal SIGTERM')
    }
  }
  return server
}

/** A supervisor on a fake clock whose pauses return at once, recording how long they were. */
function harness(
  starts: (() => Promise<SupervisedServer>)[],
  restartPolicy = policy,
  halt?: () => Promise<void>
) {
  let clock = 0
  const pauses: number[] = []
  const lines: string[] = []
  const initial = fakeServer(100)
  let started = 0
  const supervisor = new Neo4jSupervisor({
    initial,
    start: () => {
      const next = starts[started++]
      if (!next) throw new Error('more starts than the test planned')
      return next()
    },
    ...(halt ? { halt } : {}),
    policy: restartPolicy,
    log: (level, line) => lines.push(`${level}: ${line}`),
    now: () => clock,
    sleep: async (ms) => {
      pauses.push(ms)
      clock += ms
    }
  })
  return {
    supervisor,
    initial,
    pauses,
    lines,
    startCount: () => started,
    advance: (ms: number) => (clock += ms)
  }
}

/** Lets every callback already due run, as the event loop would between two events. */
const flush = (): Promise<void> => new Promise((done) => setImmediate(done))

const failing = (message: string) => async (): Promise<SupervisedServer> => {
  throw new Error(message)
}

describe('Neo4jSupervisor', () => {
  it('restarts a server that died and watches the new one', async () => {
    const second = fakeServer(200)
    const h = harness([async () => second])
    expect(h.supervisor.status()).toEqual({ state: 'up', pid: 100, restarts: 0 })

    h.initial.die('signal SIGKILL')
    await flush()
    await h.supervisor.settled()
    expect(h.supervisor.status()).toEqual({ state: 'up', pid: 200, restarts: 1 })
    expect(h.pauses).toEqual([1_000])
    expect(h.lines[0]).toBe('error: Neo4j (pid 100) exited unexpectedly (signal SIGKILL)')
    expect(h.lines.at(-1)).toBe('info: Neo4j is back (pid 200) after restart attempt 1')
  })

  it('backs off while starts fail and gives up after the bound, saying why', async () => {
    const h = harness(
      [failing('Bolt port 7687 is already in use\nlog tail'), failing('Bolt port 7687 is already in use')],
      { ...policy, attempts: 2 }
    )
    h.initial.die('signal SIGKILL')
    await flush()
    await h.supervisor.settled()
    expect(h.pauses).toEqual([1_000, 2_000])
    expect(h.startCount()).toBe(2)
    expect(h.supervisor.status()).toEqual({
      state: 'gave-up',
      attempts: 2,
      reason: 'restart attempt 2 failed: Bolt port 7687 is already in use'
    })
    expect(h.lines.at(-1)).toMatch(/^error: gave up restarting Neo4j after 2 failed attempt\(s\) in a row/)
  })

  it('counts a restart that dies again soon as a failure, and one that stayed up as a fresh start', async () => {
    const servers = [fakeServer(200), fakeServer(300), fakeServer(400)]
    const h = harness(servers.map((s) => async () => s))
    const dieAndSettle = async (server: ReturnType<typeof fakeServer>): Promise<void> => {
      server.die('exit code 1')
      await flush()
      await h.supervisor.settled()
    }
    await dieAndSettle(h.initial)
    h.advance(5_000)
    await dieAndSettle(servers[0] as ReturnType<typeof fakeServer>)
    // Up 5 s only: the second restart waits twice as long as the first.
    expect(h.pauses).toEqual([1_000, 2_000])
    h.advance(60_000)
    await dieAndSettle(servers[1] as ReturnType<typeof fakeServer>)
    // Up a minute: the count starts over.
    expect(h.pauses).toEqual([1_000, 2_000, 1_000])
    expect(h.supervisor.status()).toEqual({ state: 'up', pid: 400, restarts: 3 })
  })

  it('does not restart a server it was told to stop', async () => {
    const h = harness([])
    await h.supervisor.stop()
    await flush()
    await h.supervisor.settled()
    expect(h.initial.stopped).toBe(true)
    expect(h.startCount()).toBe(0)
    expect(h.supervisor.status()).toEqual({ state: 'stopped' })
  })

  it('stops a server that was still starting when supervision ended', async () => {
    const late = fakeServer(200)
    let release: () => void = () => undefined
    const gate = new Promise<void>((done) => (release = done))
    const h = harness([
      async () => {
        await gate
        return late
      }
    ])
    h.initial.die('signal SIGKILL')
    await flush()
    expect(h.supervisor.status()).toMatchObject({ state: 'restarting', attempt: 1, attempts: 5 })
    const stopping = h.supervisor.stop()
    release()
    await stopping
    expect(late.stopped).toBe(true)
    expect(h.supervisor.status()).toEqual({ state: 'stopped' })
  })

  it('halts a start in progress instead of waiting for it when supervision ends', async () => {
    let fail: (err: Error) => void = () => undefined
    const starting = new Promise<SupervisedServer>((_, reject) => (fail = reject))
    let halted = 0
    const h = harness([() => starting], policy, async () => {
      halted += 1
      // What the runner's stop does to a JVM still starting: its start fails.
      fail(new Error('Neo4j exited while starting (signal SIGTERM)'))
    })
    h.initial.die('signal SIGKILL')
    await flush()
    await h.supervisor.stop()
    expect(halted).toBe(1)
    expect(h.startCount()).toBe(1)
    expect(h.supervisor.status()).toEqual({ state: 'stopped' })
  })

  it('leaves a server started by another process alone', async () => {
    const foreign: SupervisedServer = { pid: 200, exited: undefined, stop: async () => undefined }
    const h = harness([async () => foreign])
    h.initial.die('signal SIGKILL')
    await flush()
    await h.supervisor.settled()
    expect(h.supervisor.status()).toMatchObject({ state: 'unsupervised' })
  })
})
