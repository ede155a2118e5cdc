import { describe, it, expect } from 'vitest'
import { spawnSync } from 'node:child_process'
import { isAlive, isServerOf, parseProcState, parsePidFile } from '../../../src/neo4j-local/pid.js'

describe('parsePidFile', () => {
  it('reads a pid with surrounding whitespace', () => {
    expect(parsePidFile('4242\n')).toBe(4242)
    expect(parsePidFile('  17 ')).toBe(17)
  })

  it.each(['', 'abc', '12abc', '-5', '1.5', '0', '1', '99999999999999999999', '12 34'])(
    'rejects %j',
    (text) => {
      expect(parsePidFile(text)).toBeUndefined()
    }
  )
})

describe('parseProcState', () => {
  it('finds the state after the command name, even one with spaces and parentheses', () => {
    expect(parseProcState('4242 (java) S 1 4242 4242 0 -1')).toBe('S')
    expect(parseProcState('4242 (weird (name) x) Z 1 4242')).toBe('Z')
    expect(parseProcState('garbage')).toBeUndefined()
  })
})

describe('isAlive and isServerOf', () => {
  it('sees this process as alive but not as a Neo4j server', () => {
    expect(isAlive(process.pid)).toBe(true)
    expect(isServerOf(process.pid, '/nowhere/neo4j-home')).toBe(process.platform !== 'linux')
  })

  it('sees a finished process as dead', () => {
    const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'])
    const pid = Number(child.stdout.toString())
    expect(isAlive(pid)).toBe(false)
  })
})
