/**
 * Load shedding: when the event loop lags or the heap nears V8's limit, new requests get 503
 * OVERLOADED with Retry-After at once instead of queueing behind work the process cannot finish.
 * /health stays answered (a busy process is still alive, and a failed liveness probe would
 * restart it); /ready sheds like the rest, so a load balancer sends traffic elsewhere.
 */
import { getHeapStatistics } from 'node:v8'
import fp from 'fastify-plugin'
import underPressure from '@fastify/under-pressure'
import { OverloadedError } from '../../errors.js'

export interface UnderPressureOptions {
  /** Mean event-loop delay over a sample, in ms; 0 turns the check off. */
  maxEventLoopDelayMs: number
  /** Fraction of V8's heap limit; 0 turns the check off. */
  maxHeapRatio: number
}

const RETRY_AFTER_SECONDS = 5

export default fp<UnderPressureOptions>(
  async (app, opts) => {
    await app.register(underPressure, {
      maxEventLoopDelay: opts.maxEventLoopDelayMs,
      maxHeapUsedBytes: Math.floor(opts.maxHeapRatio * getHeapStatistics().heap_size_limit),
      pressureHandler: (request) => {
        if (request.routeOptions.url === '/health') return undefined
        return Promise.reject(new OverloadedError(RETRY_AFTER_SECONDS))
      }
    })
  },
  { name: 'under-pressure' }
)
