import { createHash } from 'node:crypto'
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Command } from 'commander'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { registerKeysCommand } from '../../src/cli/keys-command.js'
import { loadConfig } from '../../src/config.js'
import { localApiKey, localApiKeyFile } from '../../src/neo4j-local/embedded-default.js'
import { findApiKey, hashApiKey, isPublic, parseApiKeys, requiredScope } from '../../src/plugins/app/auth.js'

const A = hashApiKey('key-a')
const B = hashApiKey('key-b')

describe('hashApiKey', () => {
  it('is the lowercase sha256 hex of the UTF-8 key', () => {
    expect(hashApiKey('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
    expect(hashApiKey('clé')).toBe(createHash('sha256').update(Buffer.from('clé', 'utf8')).digest('hex'))
  })
})

describe('parseApiKeys', () => {
  it('reads entries with their scopes, tolerating spaces, empty entries and upper-case hex', () => {
    const keys = parseApiKeys(` ${A}:write , ${B.toUpperCase()}:read,, `)
    expect(keys.map((k) => [k.hash.toString('hex'), k.scope, k.id])).toEqual([
      [A, 'write', A.slice(0, 12)],
      [B, 'read', B.slice(0, 12)]
    ])
    expect(parseApiKeys('')).toEqual([])
  })

  it.each([
    [`${A}:admin`, 1],
    [`${A}`, 1],
    [`${A}:write,${A.slice(1)}:read`, 2],
    [`${A}x:write`, 1],
    ['key-a:write', 1]
  ])('refuses %s, naming the entry but never echoing it', (text, entry) => {
    expect(() => parseApiKeys(text)).toThrow(
      `API_KEYS entry ${entry} is not <sha256-hex-of-key>:<read|write>`
    )
    try {
      parseApiKeys(text)
    } catch (err) {
      expect((err as Error).message).not.toContain(A)
    }
  })
})

describe('findApiKey', () => {
  const keys = parseApiKeys(`${A}:read,${B}:write,${A}:write`)
  const digest = (key: string): Buffer => createHash('sha256').update(key).digest()

  it('finds the first entry whose hash matches', () => {
    expect(findApiKey(keys, digest('key-a'))?.scope).toBe('read')
    expect(findApiKey(keys, digest('key-b'))?.scope).toBe('write')
    expect(findApiKey(keys, digest('key-c'))).toBeUndefined()
    expect(findApiKey([], digest('key-a'))).toBeUndefined()
  })
})

describe('requiredScope and isPublic', () => {
  it('needs a write key for every write method and a read key only when configured', () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      expect(requiredScope(method, false)).toBe('write')
      expect(requiredScope(method, true)).toBe('write')
    }
    for (const method of ['GET', 'HEAD']) {
      expect(requiredScope(method, false)).toBeNull()
      expect(requiredScope(method, true)).toBe('read')
    }
  })

  it('opens only the probes, the documentation and the explorer page, by route pattern', () => {
    for (const route of [
      '/health',
      '/ready',
      '/openapi.json',
      '/docs',
      '/docs/',
      '/docs/static/*',
      '/docs/json',
      '/explore',
      '/explore/assets/*'
    ]) {
      expect(isPublic(route), route).toBe(true)
    }
    for (const route of [undefined, '/movies', '/docsx', '/healthz', '/movies/:movie_id', '/explorer']) {
      expect(isPublic(route), String(route)).toBe(false)
    }
  })
})

describe('API_KEYS in configuration', () => {
  it('accepts a valid list and refuses a bad one without echoing it', () => {
    expect(loadConfig({ API_KEYS: `${A}:write, ${B}:read` }).API_KEYS).toBe(`${A}:write, ${B}:read`)
    expect(() => loadConfig({ API_KEYS: `${A}:root` })).toThrow(
      'Invalid API_KEYS: must be a comma-separated list of <sha256-hex-of-key>:<read|write>'
    )
  })
})

describe('cinegraph keys', () => {
  afterEach(() => {
    vi.restoreAllMocks()
  })

  async function run(...args: string[]): Promise<string[]> {
    const lines: string[] = []
    vi.spyOn(console, 'log').mockImplementation((line: string) => lines.push(line))
    const program = new Command('cinegraph').exitOverride()
    registerKeysCommand(program)
    await program.parseAsync(['node', 'cinegraph', ...args])
    return lines
  }

  it('hash prints the sha256 hex of the key', async () => {
    expect(await run('keys', 'hash', 'key-a')).toEqual([A])
  })

  it('new prints a fresh key, its hash and the API_KEYS entry', async () => {
    const [keyLine, hashLine, entryLine] = await run('keys', 'new')
    const key = /^key\s+(\S+)$/.exec(keyLine ?? '')?.[1] ?? ''
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(hashLine).toBe(`sha256     ${hashApiKey(key)}`)
    expect(entryLine).toBe(`API_KEYS   ${hashApiKey(key)}:write`)
    expect(parseApiKeys(entryLine?.split(/\s+/)[1] ?? '')).toHaveLength(1)
    const [other] = await run('keys', 'new', '--scope', 'read')
    expect(other).not.toBe(keyLine)
    await expect(run('keys', 'new', '--scope', 'admin')).rejects.toThrow('--scope must be read or write')
  })
})

describe('the embedded default write key', () => {
  let home: string | undefined
  afterEach(async () => {
    if (home) await rm(home, { recursive: true, force: true })
  })

  it('is made once, kept with mode 0600 beside the data, and read back afterwards', async () => {
    home = await mkdtemp(join(tmpdir(), 'cinegraph-key-'))
    const config = loadConfig({ NEO4J_LOCAL_HOME: join(home, 'data') })
    const key = await localApiKey(config)
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/)
    const file = localApiKeyFile(config)
    expect(file).toBe(join(home, 'data', 'cinegraph-api-key'))
    expect((await stat(file)).mode & 0o777).toBe(0o600)
    expect((await readFile(file, 'utf8')).trim()).toBe(key)
    expect(await localApiKey(config)).toBe(key)
  })
})
