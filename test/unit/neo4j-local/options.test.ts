import { describe, it, expect } from 'vitest'
import { isAbsolute } from 'node:path'
import { validateOptions } from '../../../src/neo4j-local/options.js'
import type { LocalNeo4jOptions } from '../../../src/neo4j-local/options.js'

const valid: LocalNeo4jOptions = {
  home: '.neo4j/local',
  boltPort: 7687,
  httpPort: 7474,
  password: 'correct-horse',
  heap: '2g',
  pageCache: '2g',
  cacheDir: '.neo4j/cache',
  projectRoot: '.'
}

describe('validateOptions', () => {
  it('accepts sensible options and makes the paths absolute', () => {
    const opts = validateOptions(valid)
    expect(isAbsolute(opts.home)).toBe(true)
    expect(isAbsolute(opts.cacheDir)).toBe(true)
    expect(isAbsolute(opts.projectRoot)).toBe(true)
    expect(opts.heap).toBe('2g')
  })

  it.each(['512m', '1g', '2048k', '16g'])('accepts memory size %s', (size) => {
    expect(() => validateOptions({ ...valid, heap: size, pageCache: size })).not.toThrow()
  })

  it.each(['2G', '2', '1.5g', '2gb', ' 2g', '-1g', '0g', ''])('rejects memory size %j', (size) => {
    expect(() => validateOptions({ ...valid, heap: size })).toThrow(/Heap size must be a positive size/)
    expect(() => validateOptions({ ...valid, pageCache: size })).toThrow(/Page cache size/)
  })

  it.each([0, -1, 65_536, 7687.5, Number.NaN])('rejects port %s', (port) => {
    expect(() => validateOptions({ ...valid, boltPort: port })).toThrow(/Bolt port must be an integer/)
    expect(() => validateOptions({ ...valid, httpPort: port })).toThrow(/HTTP port must be an integer/)
  })

  it('rejects the same port for Bolt and HTTP', () => {
    expect(() => validateOptions({ ...valid, httpPort: 7687 })).toThrow(/different ports/)
  })

  it('rejects a password Neo4j would refuse as too short', () => {
    expect(() => validateOptions({ ...valid, password: 'short' })).toThrow(/at least 8 characters/)
  })

  it('rejects an empty home and a non-positive start timeout', () => {
    expect(() => validateOptions({ ...valid, home: ' ' })).toThrow(/home must be a non-empty path/)
    expect(() => validateOptions({ ...valid, startTimeoutMs: 0 })).toThrow(/startTimeoutMs/)
  })
})
