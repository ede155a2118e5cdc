import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../src/config.js'

describe('loadConfig', () => {
  it('fills defaults for an empty environment (the embedded Neo4j)', () => {
    const c = loadConfig({})
    expect(c.PORT).toBe(3000)
    expect(c.NEO4J_URI).toBeUndefined()
    expect(c.NEO4J_BOLT_PORT).toBe(7687)
    expect(c.NEO4J_HTTP_PORT).toBe(7474)
    expect(c.MIGRATE_ON_START).toBe(true)
  })

  it('converts numbers and booleans from strings, treating empty strings as unset', () => {
    const c = loadConfig({ PORT: '8080', MIGRATE_ON_START: 'false', NEO4J_URI: '' })
    expect(c.PORT).toBe(8080)
    expect(c.MIGRATE_ON_START).toBe(false)
    expect(c.NEO4J_URI).toBeUndefined()
  })

  it('accepts routing and encrypted URIs', () => {
    for (const uri of [
      'neo4j://db:7687',
      'neo4j+s://x.databases.neo4j.io',
      'bolt+ssc://h:7687',
      'bolt://h'
    ]) {
      expect(loadConfig({ NEO4J_URI: uri, NEO4J_PASSWORD: 'long-enough' }).NEO4J_URI).toBe(uri)
    }
  })

  it.each([
    [{ PORT: 'abc' }, /^Invalid PORT \(got "abc"\)/],
    [{ PORT: '70000' }, /^Invalid PORT/],
    [{ NEO4J_URI: 'http://localhost:7474', NEO4J_PASSWORD: 'long-enough' }, /^Invalid NEO4J_URI/],
    [{ NEO4J_HEAP: '2GB' }, /^Invalid NEO4J_HEAP/],
    [{ NEO4J_URI: 'bolt://h' }, /NEO4J_PASSWORD is required when NEO4J_URI is set/]
  ])('rejects %o with one clear line', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError)
    expect(() => loadConfig(env)).toThrow(message)
  })

  it('never echoes a password back in its error', () => {
    let message = ''
    try {
      loadConfig({ NEO4J_PASSWORD: 'short' })
    } catch (err) {
      message = (err as Error).message
    }
    expect(message).toMatch(/^Invalid NEO4J_PASSWORD/)
    expect(message).not.toContain('short')
  })
})
