import { describe, it, expect } from 'vitest'
import { parseConf, parseConfPorts, renderConf } from '../../../src/neo4j-local/conf.js'

const input = { home: '/srv/neo4j', boltPort: 7687, httpPort: 7474, heap: '2g', pageCache: '512m' }

describe('renderConf', () => {
  it('binds both connectors to loopback on the given ports', () => {
    const settings = parseConf(renderConf(input))
    expect(settings.get('server.bolt.listen_address')).toBe('127.0.0.1:7687')
    expect(settings.get('server.http.listen_address')).toBe('127.0.0.1:7474')
    expect(settings.get('server.https.enabled')).toBe('false')
  })

  it('sizes memory from the options, with a fixed heap', () => {
    const settings = parseConf(renderConf(input))
    expect(settings.get('server.memory.heap.initial_size')).toBe('2g')
    expect(settings.get('server.memory.heap.max_size')).toBe('2g')
    expect(settings.get('server.memory.pagecache.size')).toBe('512m')
  })

  it('keeps data, logs and plugins inside the home', () => {
    const settings = parseConf(renderConf(input))
    expect(settings.get('server.directories.data')).toBe('/srv/neo4j/data')
    expect(settings.get('server.directories.logs')).toBe('/srv/neo4j/logs')
    expect(settings.get('server.directories.plugins')).toBe('/srv/neo4j/plugins')
  })

  it('requires authentication, lets APOC and GDS run and never reports usage', () => {
    const settings = parseConf(renderConf(input))
    expect(settings.get('dbms.security.auth_enabled')).toBe('true')
    expect(settings.get('dbms.security.procedures.unrestricted')?.split(',')).toEqual(['apoc.*', 'gds.*'])
    expect(settings.get('dbms.usage_report.enabled')).toBe('false')
  })

  it('renders one key=value per line, each key once', () => {
    const lines = renderConf(input)
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#'))
    expect(lines.every((line) => /^[a-z_.]+=\S+$/.test(line))).toBe(true)
    const keys = lines.map((line) => line.split('=')[0])
    expect(new Set(keys).size).toBe(keys.length)
  })
})

describe('parseConfPorts', () => {
  it('reads back the ports that renderConf wrote', () => {
    expect(parseConfPorts(renderConf(input))).toEqual({ boltPort: 7687, httpPort: 7474 })
  })

  it('ignores comments and lets the last setting win', () => {
    const text = [
      '# server.bolt.listen_address=127.0.0.1:1',
      'server.bolt.listen_address=127.0.0.1:7000',
      'server.http.listen_address = :7001',
      'server.bolt.listen_address=127.0.0.1:7002'
    ].join('\n')
    expect(parseConfPorts(text)).toEqual({ boltPort: 7002, httpPort: 7001 })
  })

  it('gives nothing when a listen address or its port is missing', () => {
    expect(parseConfPorts('server.bolt.listen_address=127.0.0.1:7687\n')).toBeUndefined()
    expect(
      parseConfPorts('server.bolt.listen_address=localhost\nserver.http.listen_address=:7474')
    ).toBeUndefined()
    expect(parseConfPorts('')).toBeUndefined()
  })
})
