/**
 * Edge kinds and their colours, shared by the drawing and its legend so the two cannot disagree.
 * Colours keep at least 4.5:1 contrast on white, so the legend's text in them is readable too.
 */
export const EDGE_KINDS = [
  { kind: 'similar', label: 'similar (width = score)', color: '#4a5a7a', directed: false },
  { kind: 'SIMILAR_TO', label: 'SIMILAR_TO', color: '#1f5f99', directed: false },
  { kind: 'SAME_FRANCHISE', label: 'SAME_FRANCHISE', color: '#8c2d04', directed: false },
  { kind: 'SEQUEL_OF', label: 'SEQUEL_OF →', color: '#b34700', directed: true },
  { kind: 'REMAKE_OF', label: 'REMAKE_OF →', color: '#5e4fa2', directed: true },
  { kind: 'SPINOFF_OF', label: 'SPINOFF_OF →', color: '#1a7656', directed: true },
  { kind: 'INSPIRED_BY', label: 'INSPIRED_BY →', color: '#b0174f', directed: true }
] as const

export type EdgeKind = (typeof EDGE_KINDS)[number]['kind']

export function edgeColor(kind: string): string {
  return EDGE_KINDS.find((k) => k.kind === kind)?.color ?? '#555555'
}
