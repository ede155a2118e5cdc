/**
 * Reads query plans (`result.summary.plan` of an EXPLAIN) so tests can hold the hot queries to
 * their shape: key lookups through an index seek, traversals without a scan of every node or a
 * join of unrelated rows.
 */

/** The part of a driver plan this module reads. */
export interface PlanNode {
  operatorType: string
  children: readonly PlanNode[]
}

/** Operator names depth-first, without the runtime suffix (`Expand(All)@neo4j` → `Expand(All)`). */
export function planOperators(plan: PlanNode): string[] {
  const out: string[] = []
  const visit = (node: PlanNode) => {
    out.push(node.operatorType.replace(/@.*$/, ''))
    for (const child of node.children) visit(child)
  }
  visit(plan)
  return out
}

const INDEX_SEEKS = new Set(['NodeUniqueIndexSeek', 'NodeIndexSeek', 'MultiNodeIndexSeek'])

/** Whether some operator looks nodes up through an index seek (unique or not, locking or not). */
export function usesIndexSeek(plan: PlanNode): boolean {
  return planOperators(plan).some((op) => INDEX_SEEKS.has(op.replace(/\(.*\)$/, '')))
}

/** Operators a traversal must never plan: every node scanned, or unrelated rows multiplied. */
export const FORBIDDEN_IN_TRAVERSALS = ['AllNodesScan', 'CartesianProduct'] as const

/** The forbidden operators the plan contains (empty when it is fine). */
export function traversalPlanProblems(plan: PlanNode): string[] {
  const forbidden = new Set<string>(FORBIDDEN_IN_TRAVERSALS)
  return [...new Set(planOperators(plan).filter((op) => forbidden.has(op.replace(/\(.*\)$/, ''))))]
}
