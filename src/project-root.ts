import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The package root, the same from src/ (tests, tsx) and from dist/ (built). */
export const PROJECT_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..')
