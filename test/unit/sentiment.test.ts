import { describe, expect, it } from 'vitest'
import { labelFor, scoreSentiment } from '../../src/lib/sentiment.js'
import { resolveSentiment } from '../../src/data/reviews/fields.js'

describe('labelFor', () => {
  it('uses the ±0.05 thresholds, inclusive on the outer side', () => {
    expect(labelFor(0.05)).toBe('positive')
    expect(labelFor(0.0499)).toBe('neutral')
    expect(labelFor(0)).toBe('neutral')
    expect(labelFor(-0.0499)).toBe('neutral')
    expect(labelFor(-0.05)).toBe('negative')
  })

  it('labels the ends of the range', () => {
    expect(labelFor(1)).toBe('positive')
    expect(labelFor(-1)).toBe('negative')
  })
})

describe('scoreSentiment', () => {
  it('scores clearly positive text as positive', () => {
    const s = scoreSentiment(
      'I absolutely loved this movie! The acting was wonderful and the story is beautiful.'
    )
    expect(s.label).toBe('positive')
    expect(s.score).toBeGreaterThan(0.5)
  })

  it('scores clearly negative text as negative', () => {
    const s = scoreSentiment('This was a terrible, boring and awful film. I hated every minute of it.')
    expect(s.label).toBe('negative')
    expect(s.score).toBeLessThan(-0.5)
  })

  it('reads negation', () => {
    expect(scoreSentiment('This movie is good.').label).toBe('positive')
    expect(scoreSentiment('This movie is not good.').label).toBe('negative')
  })

  it('calls factual or empty text neutral', () => {
    expect(scoreSentiment('The film runs for two hours.')).toEqual({ score: 0, label: 'neutral' })
    expect(scoreSentiment('')).toEqual({ score: 0, label: 'neutral' })
  })

  it('stays within -1..1, rounded to four decimals, with a label that agrees with the score', () => {
    for (const text of [
      'GREAT GREAT GREAT!!! :) :D love love love',
      'worst worst WORST!!! hate hate :(',
      'ok'
    ]) {
      const { score, label } = scoreSentiment(text)
      expect(score).toBeGreaterThanOrEqual(-1)
      expect(score).toBeLessThanOrEqual(1)
      expect(Math.round(score * 10_000) / 10_000).toBe(score)
      expect(label).toBe(labelFor(score))
    }
  })
})

describe('resolveSentiment', () => {
  const positive = 'What a wonderful, joyful film.'

  it('scores the content when no score is given', () => {
    expect(resolveSentiment(positive, {})).toEqual({
      sentiment_score: scoreSentiment(positive).score,
      sentiment_label: 'positive'
    })
  })

  it('keeps a given score and derives the label from it', () => {
    expect(resolveSentiment(positive, { sentiment_score: -0.2 })).toEqual({
      sentiment_score: -0.2,
      sentiment_label: 'negative'
    })
  })

  it('keeps a given label, with or without a score', () => {
    expect(resolveSentiment(positive, { sentiment_score: 0.01, sentiment_label: 'positive' })).toEqual({
      sentiment_score: 0.01,
      sentiment_label: 'positive'
    })
    expect(resolveSentiment(positive, { sentiment_label: 'neutral' })).toEqual({
      sentiment_score: scoreSentiment(positive).score,
      sentiment_label: 'neutral'
    })
  })
})
