import { describe, expect, it } from 'vitest'
import { planOperators, traversalPlanProblems, usesIndexSeek } from '../../src/db/plan-walker.js'
import type { PlanNode } from '../../src/db/plan-walker.js'

function op(operatorType: string, ...children: PlanNode[]): PlanNode {
  return { operatorType, children }
}

describe('plan walker', () => {
  const seekPlan = op(
    'ProduceResults@neo4j',
    op('Projection@neo4j', op('Expand(All)@neo4j', op('NodeUniqueIndexSeek@neo4j')))
  )

  it('lists operators depth-first without the runtime suffix', () => {
    expect(planOperators(seekPlan)).toEqual([
      'ProduceResults',
      'Projection',
      'Expand(All)',
      'NodeUniqueIndexSeek'
    ])
  })

  it('visits every branch of a plan', () => {
    const plan = op('Apply', op('NodeIndexSeek'), op('Argument', op('Expand(Into)')))
    expect(planOperators(plan)).toEqual(['Apply', 'NodeIndexSeek', 'Argument', 'Expand(Into)'])
  })

  it('finds unique, plain and locking index seeks anywhere in the plan', () => {
    expect(usesIndexSeek(seekPlan)).toBe(true)
    expect(usesIndexSeek(op('ProduceResults', op('NodeIndexSeek@neo4j')))).toBe(true)
    expect(usesIndexSeek(op('ProduceResults', op('NodeUniqueIndexSeek(Locking)@neo4j')))).toBe(true)
    expect(usesIndexSeek(op('ProduceResults', op('NodeByLabelScan@neo4j')))).toBe(false)
    expect(usesIndexSeek(op('ProduceResults', op('NodeIndexScan@neo4j')))).toBe(false)
  })

  it('reports every node scan and cartesian product once', () => {
    expect(traversalPlanProblems(seekPlan)).toEqual([])
    const bad = op(
      'ProduceResults',
      op('CartesianProduct@neo4j', op('AllNodesScan@neo4j'), op('CartesianProduct', op('AllNodesScan')))
    )
    expect(traversalPlanProblems(bad)).toEqual(['CartesianProduct', 'AllNodesScan'])
  })

  it('does not mistake look-alike operators for forbidden ones', () => {
    expect(traversalPlanProblems(op('NodeByLabelScan', op('NodeCountFromCountStore')))).toEqual([])
  })
})
