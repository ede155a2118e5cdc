/** Request and response shapes of the movie-to-movie relationship routes. */
import { Type } from 'typebox'
import type { Static, TLiteral, TSchemaOptions, TUnion } from 'typebox'
import {
  EDGE_SOURCES,
  RELATIONSHIP_DIRECTIONS,
  RELATIONSHIP_TYPES,
  SYMMETRIC_TYPES
} from '../domain/relationship-types.js'
import { Id, ListParam, OPTIONAL_BODY, Page, PageQuery, Timestamp } from './common.js'

type Literals<T extends readonly string[]> = { -readonly [K in keyof T]: TLiteral<T[K]> }

/** Mapping a const tuple loses its element types; this keeps them, so Static<> stays precise. */
function literalUnion<const T extends readonly string[]>(
  values: T,
  options?: TSchemaOptions
): TUnion<Literals<T>> {
  return Type.Union(
    values.map((v) => Type.Literal(v)),
    options
  ) as unknown as TUnion<Literals<T>>
}

/** A union of literals, so anything outside the allow-list fails validation before a handler runs. */
export const RelationshipTypeName = literalUnion(RELATIONSHIP_TYPES, {
  description: `Relationship type. Symmetric: ${SYMMETRIC_TYPES.join(', ')}; the others are directed newer → older/original.`
})

function edgeSourceName(options: { description: string; default?: string }) {
  return literalUnion(EDGE_SOURCES, options)
}

function directionName(options: { description: string; default?: string }) {
  return literalUnion(RELATIONSHIP_DIRECTIONS, options)
}

function score(description: string) {
  return Type.Number({ minimum: 0, maximum: 1, description })
}

export const MovieParams = Type.Object({ movie_id: Id })

export const RelationshipParams = Type.Object({
  movie_id: Id,
  type: RelationshipTypeName,
  other_movie_id: { ...Id, description: 'The movie at the other end; must differ from movie_id' }
})
export type RelationshipParams = Static<typeof RelationshipParams>

export const PutRelationshipBody = Type.Object(
  {
    score: Type.Optional(score('Strength of the relationship, 0..1; required for SIMILAR_TO')),
    source: Type.Optional(edgeSourceName({ description: 'Where the edge came from', default: 'editorial' }))
  },
  {
    additionalProperties: false,
    description: 'Replaces the properties of the edge; a score left out is removed. The body may be omitted.',
    [OPTIONAL_BODY]: true
  }
)
export type PutRelationshipBody = Static<typeof PutRelationshipBody>

export const RelationshipQuery = Type.Object(
  {
    type: Type.Optional(
      ListParam(
        `Only these types, from: ${RELATIONSHIP_TYPES.join(', ')}. Comma-separated ` +
          '(type=SEQUEL_OF,REMAKE_OF) or repeated (type=SEQUEL_OF&type=REMAKE_OF); default every type. ' +
          'Each item must be one of these.',
        RELATIONSHIP_TYPES.length
      )
    ),
    direction: Type.Optional(
      directionName({
        default: 'both',
        description:
          'out: edges from this movie; in: edges to it; both: either. Symmetric edges match every direction.'
      })
    ),
    ...PageQuery
  },
  { additionalProperties: false }
)
export type RelationshipQuery = Static<typeof RelationshipQuery>

export const RelatedMovie = Type.Object({
  movie_id: Type.String(),
  title: Type.Union([Type.String(), Type.Null()]),
  year: Type.Union([Type.Integer(), Type.Null()])
})

export const RelationshipItem = Type.Object(
  {
    type: RelationshipTypeName,
    direction: directionName({
      description: 'Seen from the movie in the path: out (it → other), in (other → it), both (symmetric)'
    }),
    other: RelatedMovie,
    score: Type.Union([score('Strength of the relationship, 0..1'), Type.Null()]),
    source: edgeSourceName({ description: 'Where the edge came from' }),
    created_at: Timestamp,
    updated_at: Timestamp
  },
  { title: 'Relationship' }
)
export type RelationshipItem = Static<typeof RelationshipItem>

export const RelationshipPage = Page(RelationshipItem)
export type RelationshipPage = Static<typeof RelationshipPage>
