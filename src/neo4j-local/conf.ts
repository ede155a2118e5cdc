// neo4j.conf is regenerated on every start so that the options passed in are the single source of truth;
// status reads the ports back from it because a separate CLI process has no other record of them.
import { join } from 'node:path'

export interface ConfInput {
  home: string
  boltPort: number
  httpPort: number
  heap: string
  pageCache: string
}

export interface ConfPorts {
  boltPort: number
  httpPort: number
}

export function renderConf({ home, boltPort, httpPort, heap, pageCache }: ConfInput): string {
  const settings: [string, string][] = [
    // Loopback only: this server exists for one developer's machine or a test run.
    ['server.bolt.listen_address', `127.0.0.1:${boltPort}`],
    ['server.http.listen_address', `127.0.0.1:${httpPort}`],
    ['server.bolt.advertised_address', `127.0.0.1:${boltPort}`],
    ['server.http.advertised_address', `127.0.0.1:${httpPort}`],
    ['server.https.enabled', 'false'],
    ['server.memory.heap.initial_size', heap],
    ['server.memory.heap.max_size', heap],
    ['server.memory.pagecache.size', pageCache],
    ['dbms.security.auth_enabled', 'true'],
    ['server.directories.data', join(home, 'data')],
    ['server.directories.logs', join(home, 'logs')],
    ['server.directories.plugins', join(home, 'plugins')],
    ['server.directories.import', join(home, 'import')],
    ['dbms.security.procedures.unrestricted', 'apoc.*,gds.*'],
    // The server must not try to phone home: there may be no network at all.
    ['dbms.usage_report.enabled', 'false'],
    // Netty otherwise idles 5 s, twice, before the Bolt server stops: 11 s instead of under one for every
    // `db stop` and test run. Internal, but the pinned release validates it strictly at start.
    ['internal.dbms.bolt.netty_server_shutdown_quiet_period', '0']
  ]
  const header = '# Written by cinegraph on every `db start`; edit the options passed to it, not this file.\n'
  return header + settings.map(([key, value]) => `${key}=${value}`).join('\n') + '\n'
}

/** Parses `key=value` lines; later lines win, as they do for Neo4j. */
export function parseConf(text: string): Map<string, string> {
  const settings = new Map<string, string>()
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) continue
    const eq = line.indexOf('=')
    if (eq <= 0) continue
    settings.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim())
  }
  return settings
}

function listenPort(value: string | undefined): number | undefined {
  const match = value === undefined ? null : /:(\d+)$/.exec(value)
  if (!match) return undefined
  const port = Number(match[1])
  return port >= 1 && port <= 65_535 ? port : undefined
}

export function parseConfPorts(text: string): ConfPorts | undefined {
  const settings = parseConf(text)
  const boltPort = listenPort(settings.get('server.bolt.listen_address'))
  const httpPort = listenPort(settings.get('server.http.listen_address'))
  return boltPort === undefined || httpPort === undefined ? undefined : { boltPort, httpPort }
}

export function confPath(home: string): string {
  return join(home, 'conf', 'neo4j.conf')
}
