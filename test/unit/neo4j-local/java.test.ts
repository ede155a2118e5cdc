import { describe, it, expect } from 'vitest'
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { checkJava, checkMaven, javaBinary, parseJavaMajor } from '../../../src/neo4j-local/java.js'

describe('parseJavaMajor', () => {
  it.each([
    [
      'openjdk version "17.0.15" 2025-04-15\nOpenJDK Runtime Environment (build 17.0.15+6-Debian-1deb12u1)',
      17
    ],
    ['openjdk version "21" 2023-09-19', 21],
    ['openjdk version "21.0.4" 2024-07-16 LTS', 21],
    ['java version "1.8.0_392"\nJava(TM) SE Runtime Environment', 8],
    ['openjdk version "11.0.22" 2024-01-16', 11],
    ['openjdk version "22-ea" 2024-03-19', 22],
    ['Picked up JAVA_TOOL_OPTIONS: -Xss1m\nopenjdk version "17.0.2" 2022-01-18', 17]
  ])('reads the major release from %j', (output, major) => {
    expect(parseJavaMajor(output)).toBe(major)
  })

  it('gives nothing for output that is not from java', () => {
    expect(parseJavaMajor('bash: java: command not found')).toBeUndefined()
  })
})

describe('javaBinary', () => {
  it('prefers JAVA_HOME and falls back to PATH', () => {
    expect(javaBinary({ JAVA_HOME: '/opt/jdk-21' })).toBe('/opt/jdk-21/bin/java')
    expect(javaBinary({})).toBe('java')
    expect(javaBinary({ JAVA_HOME: '  ' })).toBe('java')
  })
})

async function errorOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise
  } catch (error) {
    if (error instanceof Error) return error
  }
  throw new Error('expected a rejection with an Error')
}

describe.skipIf(process.platform === 'win32')('checkJava and checkMaven', () => {
  function fakeJavaHome(versionLine: string): string {
    const home = mkdtempSync(join(tmpdir(), 'cinegraph-fake-jdk-'))
    mkdirSync(join(home, 'bin'))
    const java = join(home, 'bin', 'java')
    writeFileSync(java, `#!/bin/sh\necho '${versionLine}' >&2\n`)
    chmodSync(java, 0o755)
    return home
  }

  it('says in one line what to install when java is missing', async () => {
    const error = await errorOf(checkJava({ JAVA_HOME: '/nonexistent/jdk' }))
    expect(error.message).toMatch(/^Java 17 or 21 is needed for the embedded Neo4j/)
    expect(error.message).toContain('apt-get install openjdk-17-jdk-headless')
    expect(error.message).toContain('NEO4J_URI')
    expect(error.message).not.toContain('\n')
  })

  it('refuses a Java release Neo4j does not support', async () => {
    const home = fakeJavaHome('openjdk version "11.0.22" 2024-01-16')
    try {
      await expect(checkJava({ JAVA_HOME: home })).rejects.toThrow(
        /Java 11 found .* runs only on Java 17 or 21/
      )
    } finally {
      rmSync(home, { recursive: true, force: true })
    }
  })

  it('accepts Java 21 from JAVA_HOME', async () => {
    const home = fakeJavaHome('openjdk version "21.0.4" 2024-07-16 LTS')
    try {
      expect(await checkJava({ JAVA_HOME: home })).toEqual({ bin: join(home, 'bin', 'java'), major: 21 })
    } finally {
      rmSync(home, { recursive: true, force: true })
    }
  })

  it('says in one line what to install when Maven is missing', async () => {
    const error = await errorOf(checkMaven({ PATH: '/nonexistent' }))
    expect(error.message).toMatch(/^Maven is needed/)
    expect(error.message).toContain('apt-get install maven')
    expect(error.message).not.toContain('\n')
  })
})
