/**
 * Review sentiment from VADER (vader-sentiment), a lexicon and rule-based model built for
 * social-media text, which suits tweets: it reads emphasis, capitals, emoticons and negation.
 * The compound score is already in -1..1; labels use VADER's recommended ±0.05 thresholds.
 */
import vader from 'vader-sentiment'

export type SentimentLabel = 'positive' | 'neutral' | 'negative'

export interface Sentiment {
  score: number
  label: SentimentLabel
}

export function labelFor(score: number): SentimentLabel {
  if (score >= 0.05) return 'positive'
  if (score <= -0.05) return 'negative'
  return 'neutral'
}

export function scoreSentiment(text: string): Sentiment {
  const { compound } = vader.SentimentIntensityAnalyzer.polarity_scores(text)
  const score = Math.max(-1, Math.min(1, Math.round(compound * 10_000) / 10_000))
  return { score, label: labelFor(score) }
}
