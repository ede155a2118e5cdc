import { describe, expect, it } from 'vitest'
import { mergeSections, parseSections, renderSections, runLine } from '../../../bench/lib/report.js'

const OLD_REPORT = `# Benchmarks

Written by \`npm run bench\` on 2026-11-29T01:56:02.073Z (scale: full, suites: import, api, load).

| machine |  |
| --- | --- |

## Import throughput

import figures

_Suite time: 2011 s._

## API latency

old api figures

## Load

old load figures
`

describe('benchmark report sections', () => {
  it('reads each suite section after the header, heading and body apart', () => {
    expect(parseSections(OLD_REPORT)).toEqual([
      { title: 'Import throughput', body: 'import figures\n\n_Suite time: 2011 s._' },
      { title: 'API latency', body: 'old api figures' },
      { title: 'Load', body: 'old load figures' }
    ])
    expect(parseSections('# Benchmarks\n\nno suites yet\n')).toEqual([])
  })

  it('replaces the sections run, keeps the others dated by the run that wrote them, in suite order', () => {
    const fresh = [
      { title: 'API latency', body: `${runLine(new Date('2026-11-30T10:00:00Z'), 'full')}\n\nnew api` }
    ]
    const merged = mergeSections(fresh, OLD_REPORT, ['Import throughput', 'API latency', 'Load'])
    expect(merged.map((s) => s.title)).toEqual(['Import throughput', 'API latency', 'Load'])
    expect(merged[0]?.body).toBe(
      '_Run on 2026-11-29T01:56:02.073Z (scale: full)._\n\nimport figures\n\n_Suite time: 2011 s._'
    )
    expect(merged[1]?.body).toBe('_Run on 2026-11-30T10:00:00.000Z (scale: full)._\n\nnew api')
    expect(merged[2]?.body).toContain('old load figures')
  })

  it('keeps a section that already says when it ran as it is, and writes only the fresh ones without a previous report', () => {
    const dated = `## Load\n\n${runLine(new Date('2026-11-28T00:00:00Z'), 'small')}\n\nsmall load\n`
    const merged = mergeSections([{ title: 'API latency', body: 'new api' }], dated, ['API latency', 'Load'])
    expect(renderSections(merged)).toBe(
      '## API latency\n\nnew api\n\n## Load\n\n_Run on 2026-11-28T00:00:00.000Z (scale: small)._\n\nsmall load'
    )
    expect(mergeSections([{ title: 'Load', body: 'x' }], null, ['Load'])).toEqual([
      { title: 'Load', body: 'x' }
    ])
  })

  it('puts sections of suites that no longer exist last, in their old order', () => {
    const merged = mergeSections([], '## Gone\n\ng\n\n## Load\n\nl\n\n## Also gone\n\na\n', ['Load'])
    expect(merged.map((s) => s.title)).toEqual(['Load', 'Gone', 'Also gone'])
  })
})
