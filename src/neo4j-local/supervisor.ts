/**
 * Keeps the Neo4j the service launched itself running: when its JVM dies, it is started again
 * after a growing pause, until too many attempts in a row have failed; then the supervisor stops
 * and says why. A server that stayed up long enough before it died counts as a fresh start, so a
 * crash a week after the last one gets the full number of attempts again.
 *
 * The policy is pure functions; the supervisor takes the start function and the clock, so its
 * loop can be driven without a JVM.
 */

export interface RestartPolicy {
  /** Restart attempts in a row (without a stable run between them) before giving up; 0: never. */
  attempts: number
  /** Pause before the first attempt; each further one waits twice as long as the one before. */
  firstDelayMs: number
  maxDelayMs: number
  /** A server up at least this long before it died resets the count of attempts. */
  stableMs: number
}

export const MAX_RESTART_DELAY_MS = 30_000

export type RestartDecision =
  { restart: true; attempt: number; delayMs: number } | { restart: false; attempts: number }

/** What to do after `made` consecutive attempts have not brought a stable server back. */
export function nextRestart(policy: RestartPolicy, made: number): RestartDecision {
  if (made >= policy.attempts) return { restart: false, attempts: made }
  const delayMs = Math.min(policy.firstDelayMs * 2 ** made, Math.max(policy.maxDelayMs, policy.firstDelayMs))
  return { restart: true, attempt: made + 1, delayMs }
}

/** The count of attempts that carries over once a server dies after being up for `upForMs`. */
export function attemptsAfterRun(policy: RestartPolicy, made: number, upForMs: number): number {
  return upForMs >= policy.stableMs ? 0 : made
}

/** A running server as the supervisor sees it. */
export interface SupervisedServer {
  pid: number
  /** Settles with how the process ended (`signal SIGKILL`); undefined when it is not our child. */
  exited: Promise<string> | undefined
  stop(): Promise<void>
}

export type SupervisorStatus =
  | { state: 'up'; pid: number; restarts: number }
  | { state: 'restarting'; attempt: number; attempts: number; reason: string }
  | { state: 'gave-up'; attempts: number; reason: string }
  | { state: 'unsupervised'; reason: string }
  | { state: 'stopped' }

/** What the readiness check reads. */
export interface Neo4jSupervisorView {
  status(): SupervisorStatus
}

export type SupervisorLog = (level: 'info' | 'warn' | 'error', line: string) => void

export interface SupervisorOptions {
  /** The server already started (by this process). */
  initial: SupervisedServer
  start: () => Promise<SupervisedServer>
  /**
   * Stops a server that is still starting, so that shutting down need not wait for a start to
   * finish (the runner's stop finds the JVM by its pid file, written as soon as it is launched).
   */
  halt?: () => Promise<void>
  policy: RestartPolicy
  log: SupervisorLog
  now?: () => number
  /** A pause that ends early, resolving, when `signal` aborts. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((done) => {
    const timer = setTimeout(finish, ms)
    function finish(): void {
      clearTimeout(timer)
      signal.removeEventListener('abort', finish)
      done()
    }
    signal.addEventListener('abort', finish)
  })
}

/** The first line of an error, short: start failures append whole log tails. */
export function shortReason(err: unknown, max = 300): string {
  const text = err instanceof Error ? err.message : String(err)
  const line = text.split('\n')[0]?.trim() || 'unknown error'
  return line.length > max ? `${line.slice(0, max - 1)}…` : line
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(ms < 1000 ? 1 : 0)} s`

export class Neo4jSupervisor implements Neo4jSupervisorView {
  private readonly options: SupervisorOptions
  private readonly now: () => number
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>
  private readonly stopping = new AbortController()
  private current: SupervisedServer | undefined
  private upSince = 0
  private made = 0
  private restarts = 0
  private state: SupervisorStatus
  /** The restart loop while it runs, so stop() can wait for a start in progress. */
  private recovering: Promise<void> | undefined

  constructor(options: SupervisorOptions) {
    this.options = options
    this.now = options.now ?? Date.now
    this.sleep = options.sleep ?? abortableSleep
    this.state = { state: 'stopped' }
    this.watch(options.initial)
  }

  status(): SupervisorStatus {
    return this.state
  }

  /** Settles once the restart loop in progress (if any) has ended: for tests and shutdown. */
  async settled(): Promise<void> {
    await this.recovering
  }

  /** Ends supervision and stops the server it runs, also one that is still starting. */
  async stop(): Promise<void> {
    this.stopping.abort()
    if (this.recovering) {
      await this.options.halt?.()
      await this.recovering
    }
    const server = this.current
    this.current = undefined
    this.state = { state: 'stopped' }
    await server?.stop()
  }

  private watch(server: SupervisedServer): void {
    this.current = server
    this.upSince = this.now()
    if (server.exited === undefined) {
      // Another process started this server (a person ran `cinegraph db start` meanwhile): its
      // exit cannot be seen from here, and stopping it is not ours to do.
      this.state = { state: 'unsupervised', reason: `Neo4j (pid ${server.pid}) was started elsewhere` }
      this.options.log('warn', `Neo4j (pid ${server.pid}) was started by another process; not supervised`)
      return
    }
    this.state = { state: 'up', pid: server.pid, restarts: this.restarts }
    void server.exited.then((how) => {
      if (this.stopping.signal.aborted || this.current !== server) return
      this.current = undefined
      this.made = attemptsAfterRun(this.options.policy, this.made, this.now() - this.upSince)
      const reason = `Neo4j (pid ${server.pid}) exited unexpectedly (${how})`
      this.options.log('error', reason)
      this.recovering = this.recover(reason).finally(() => {
        this.recovering = undefined
      })
    })
  }

  private async recover(firstReason: string): Promise<void> {
    const { policy, log } = this.options
    let reason = firstReason
    for (;;) {
      const decision = nextRestart(policy, this.made)
      if (!decision.restart) {
        this.state = { state: 'gave-up', attempts: decision.attempts, reason }
        log(
          'error',
          `gave up restarting Neo4j after ${decision.attempts} failed attempt(s) in a row ` +
            `(NEO4J_RESTART_ATTEMPTS=${policy.attempts}); last: ${reason}`
        )
        return
      }
      this.made = decision.attempt
      this.state = { state: 'restarting', attempt: decision.attempt, attempts: policy.attempts, reason }
      log(
        'warn',
        `restarting Neo4j in ${seconds(decision.delayMs)} (attempt ${decision.attempt} of ${policy.attempts})`
      )
      await this.sleep(decision.delayMs, this.stopping.signal)
      if (this.stopping.signal.aborted) return
      let server: SupervisedServer
      try {
        server = await this.options.start()
      } catch (err) {
        reason = `restart attempt ${decision.attempt} failed: ${shortReason(err)}`
        log('error', reason)
        if (this.stopping.signal.aborted) return
        continue
      }
      if (this.stopping.signal.aborted) {
        // stop() came while the server was starting; it waits for this loop, then has nothing left.
        await server.stop()
        return
      }
      this.restarts += 1
      log('info', `Neo4j is back (pid ${server.pid}) after restart attempt ${decision.attempt}`)
      this.watch(server)
      return
    }
  }
}
