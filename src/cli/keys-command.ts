/**
 * `cinegraph keys`: API keys for the API_KEYS setting. The service is only ever given the hash;
 * the plain key goes to the client and is shown once.
 */
import { randomBytes } from 'node:crypto'
import type { Command } from 'commander'
import { hashApiKey } from '../plugins/app/auth.js'

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8').trim()
}

export function registerKeysCommand(program: Command): void {
  const keys = program.command('keys').description('Make API keys and the hashes API_KEYS takes')

  keys
    .command('new')
    .description('Print a new random key, its hash, and the API_KEYS entry')
    .option('--scope <scope>', 'read or write', 'write')
    .action((options: { scope: string }) => {
      if (options.scope !== 'read' && options.scope !== 'write') {
        throw new Error(`--scope must be read or write, not ${JSON.stringify(options.scope)}`)
      }
      const key = randomBytes(32).toString('base64url')
      const hash = hashApiKey(key)
      console.log(`key        ${key}`)
      console.log(`sha256     ${hash}`)
      console.log(`API_KEYS   ${hash}:${options.scope}`)
    })

  keys
    .command('hash')
    .argument('<key>', 'the key, or - to read it from standard input (keeps it out of shell history)')
    .description('Print the sha256 hex of a key')
    .action(async (key: string) => {
      const plain = key === '-' ? await readStdin() : key
      if (plain === '') throw new Error('the key is empty')
      console.log(hashApiKey(plain))
    })
}
