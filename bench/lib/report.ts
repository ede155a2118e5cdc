/**
 * BENCHMARKS.md is made of one section per suite. A run of some suites can keep the sections of
 * the others from the file already there (`--keep`), so a slow suite need not be re-run to
 * refresh a fast one; every section then says when, and at which scale, it was measured.
 */

export interface Section {
  title: string
  /** The section's text after its heading line, without surrounding blank lines. */
  body: string
}

const RUN_LINE = /^_Run on (\S+) \(scale: (\w+)\)\._$/m
const HEADER_RUN = /Written by `npm run bench` on (\S+) \(scale: (\w+)/

export function runLine(at: Date, scale: string): string {
  return `_Run on ${at.toISOString()} (scale: ${scale})._`
}

/** The suite sections of a report, in file order; text before the first `## ` heading is skipped. */
export function parseSections(report: string): Section[] {
  const sections: Section[] = []
  const parts = report.split(/^## /m).slice(1)
  for (const part of parts) {
    const newline = part.indexOf('\n')
    const title = (newline < 0 ? part : part.slice(0, newline)).trim()
    const body = newline < 0 ? '' : part.slice(newline + 1).trim()
    sections.push({ title, body })
  }
  return sections
}

/**
 * A kept section must still say when it ran. Reports written before sections carried their own
 * line name the run once, in the header; that line is copied into each of their sections.
 */
function dated(section: Section, report: string): Section {
  if (RUN_LINE.test(section.body)) return section
  const header = HEADER_RUN.exec(report)
  if (!header) return section
  return {
    ...section,
    body: `${runLine(new Date(header[1] as string), header[2] as string)}\n\n${section.body}`
  }
}

/**
 * The sections of the new report: those just run, and, from `previous`, those of suites that were
 * not, all in the order of `order` (the suites' titles), with anything else from `previous` last.
 */
export function mergeSections(
  fresh: readonly Section[],
  previous: string | null,
  order: readonly string[]
): Section[] {
  const byTitle = new Map<string, Section>()
  if (previous !== null) {
    for (const section of parseSections(previous)) byTitle.set(section.title, dated(section, previous))
  }
  for (const section of fresh) byTitle.set(section.title, section)
  const rank = (title: string): number => {
    const i = order.indexOf(title)
    return i < 0 ? order.length : i
  }
  return [...byTitle.values()].sort((a, b) => rank(a.title) - rank(b.title))
}

export function renderSections(sections: readonly Section[]): string {
  return sections.map((s) => `## ${s.title}\n\n${s.body}`).join('\n\n')
}
