import { describe, expect, it } from 'vitest'
import { parseMovieLensMovie, splitTitleYear } from '../../../src/ingest/movielens.js'
import { articleFirst, naturalTitle } from '../../../src/ingest/movielens-title.js'

/** A movies.csv title through the same steps as the importer: the year first, then the title. */
function read(raw: string): {
  title: string
  original_title: string | null
  aka_titles: string[]
  year: number | null
} {
  const { title, year } = splitTitleYear(raw)
  return { ...naturalTitle(title), year }
}

describe('MovieLens titles as people write them', () => {
  it.each([
    // Trailing articles, English
    ['Matrix, The (1999)', 'The Matrix', null, [], 1999],
    ['Shawshank Redemption, The (1994)', 'The Shawshank Redemption', null, [], 1994],
    ['Godfather: Part II, The (1974)', 'The Godfather: Part II', null, [], 1974],
    [
      'Lord of the Rings: The Fellowship of the Ring, The (2001)',
      'The Lord of the Rings: The Fellowship of the Ring',
      null,
      [],
      2001
    ],
    ['Christmas Story, A (1983)', 'A Christmas Story', null, [], 1983],
    ['Officer and a Gentleman, An (1982)', 'An Officer and a Gentleman', null, [], 1982],
    [
      'Adventures of Priscilla, Queen of the Desert, The (1994)',
      'The Adventures of Priscilla, Queen of the Desert',
      null,
      [],
      1994
    ],
    // Other languages
    ['Misérables, Les (1995)', 'Les Misérables', null, [], 1995],
    ['Haine, La (1995)', 'La Haine', null, [], 1995],
    ['Quatrilho, O (1995)', 'O Quatrilho', null, [], 1995],
    ['Lift, De (1983)', 'De Lift', null, [], 1983],
    ['Vitelloni, I (1953)', 'I Vitelloni', null, [], 1953],
    ['Homme et une femme, Un (1966)', 'Un Homme et une femme', null, [], 1966],
    ["Atalante, L' (1934)", "L'Atalante", null, [], 1934],
    ['Âge d’or, L’ (1930)', 'L’Âge d’or', null, [], 1930],
    ['Laberinto del fauno, El (2006)', 'El Laberinto del fauno', null, [], 2006],
    ['Himmel über Berlin, Der (1987)', 'Der Himmel über Berlin', null, [], 1987],
    ['Jagten, Den (2012)', 'Den Jagten', null, [], 2012],
    // An original-language title in parentheses
    [
      'Tiger and the Snow, The (La tigre e la neve) (2005)',
      'The Tiger and the Snow',
      'La tigre e la neve',
      [],
      2005
    ],
    [
      'City of Lost Children, The (Cité des enfants perdus, La) (1995)',
      'The City of Lost Children',
      'La Cité des enfants perdus',
      [],
      1995
    ],
    [
      'Good, the Bad and the Ugly, The (Buono, il brutto, il cattivo, Il) (1966)',
      'The Good, the Bad and the Ugly',
      'Il Buono, il brutto, il cattivo',
      [],
      1966
    ],
    [
      "Amelie (Fabuleux destin d'Amélie Poulain, Le) (2001)",
      'Amelie',
      "Le Fabuleux destin d'Amélie Poulain",
      [],
      2001
    ],
    [
      'Crouching Tiger, Hidden Dragon (Wo hu cang long) (2000)',
      'Crouching Tiger, Hidden Dragon',
      'Wo hu cang long',
      [],
      2000
    ],
    ['Spirited Away (千と千尋の神隠し) (2001)', 'Spirited Away', '千と千尋の神隠し', [], 2001],
    ['1900 (Novecento) (1976)', '1900', 'Novecento', [], 1976],
    // An English name after a foreign title proper is another name, not the original
    ['Boot, Das (Boat, The) (1981)', 'Das Boot', null, ['The Boat'], 1981],
    ["Avventura, L' (Adventure, The) (1960)", "L'Avventura", null, ['The Adventure'], 1960],
    // a.k.a.
    ['Seven (a.k.a. Se7en) (1995)', 'Seven', null, ['Se7en'], 1995],
    [
      'Léon: The Professional (a.k.a. The Professional) (Léon) (1994)',
      'Léon: The Professional',
      'Léon',
      ['The Professional'],
      1994
    ],
    ['Alien³ (a.k.a. Alien 3) (1992)', 'Alien³', null, ['Alien 3'], 1992],
    // Commas that are not articles, nested and odd parentheses, years
    ['Lock, Stock & Two Smoking Barrels (1998)', 'Lock, Stock & Two Smoking Barrels', null, [], 1998],
    ['Sex, Lies, and Videotape (1989)', 'Sex, Lies, and Videotape', null, [], 1989],
    ['(500) Days of Summer (2009)', '(500) Days of Summer', null, [], 2009],
    ['Big Blue, The (Grand bleu, Le) (1988)', 'The Big Blue', 'Le Grand bleu', [], 1988],
    [
      "Kiki (Majo no takkyûbin (Kiki's Delivery Service)) (1989)",
      'Kiki',
      "Majo no takkyûbin (Kiki's Delivery Service)",
      [],
      1989
    ],
    [
      'Zatoichi and the Chest of Gold (Zatôichi senryô-kubi) (Zatôichi 6) (1964)',
      'Zatoichi and the Chest of Gold',
      'Zatôichi senryô-kubi',
      ['Zatôichi 6'],
      1964
    ],
    ['Broken (parenthesis (1999)', 'Broken (parenthesis', null, [], 1999],
    ['1984 (1984)', '1984', null, [], 1984],
    ['(1995)', '(1995)', null, [], null],
    ['Babylon 5', 'Babylon 5', null, [], null],
    ['Dark Knight Rises, The', 'The Dark Knight Rises', null, [], null]
  ])('%j', (raw, title, original, aka, year) => {
    expect(read(raw)).toEqual({ title, original_title: original, aka_titles: aka, year })
  })

  it('moves only a whole trailing article, with no space after an elided one', () => {
    expect(articleFirst('Matrix, The')).toBe('The Matrix')
    expect(articleFirst("Avventura, L'")).toBe("L'Avventura")
    expect(articleFirst('Hello, Dolly!')).toBe('Hello, Dolly!')
    expect(articleFirst('Thelma, Louise')).toBe('Thelma, Louise')
    expect(articleFirst(', The')).toBe(', The')
    expect(articleFirst('Them, THE')).toBe('Them, THE')
  })

  it('keeps the raw title beside the natural one when a movie row is parsed', () => {
    expect(
      parseMovieLensMovie({ movieId: '2571', title: 'Matrix, The (1999)', genres: 'Action|Sci-Fi' })
    ).toEqual({
      ok: true,
      value: {
        movielens_id: 2571,
        title: 'The Matrix',
        original_title: null,
        aka_titles: [],
        ml_title: 'Matrix, The (1999)',
        year: 1999,
        genres: ['Action', 'Sci-Fi']
      }
    })
  })
})
