import { describe, expect, it } from 'vitest'
import { splitCypher } from '../../src/db/cypher-script.js'

describe('splitCypher', () => {
  it('splits on top-level semicolons and keeps each statement start line', () => {
    const src = '// header\nCREATE (a);\n\nMATCH (n)\nRETURN n;\n'
    expect(splitCypher(src)).toEqual([
      { text: 'CREATE (a)', line: 2, index: 1 },
      { text: 'MATCH (n)\nRETURN n', line: 4, index: 2 }
    ])
  })

  it('leaves semicolons inside strings and backtick names alone', () => {
    const src = `RETURN 'a;b' AS x;\nRETURN "c;\\"d" AS \`e;f\`;`
    expect(splitCypher(src).map((s) => s.text)).toEqual([`RETURN 'a;b' AS x`, `RETURN "c;\\"d" AS \`e;f\``])
  })

  it('drops line and block comments, including semicolons inside them', () => {
    const src = '/* one;\n two; */\nRETURN 1; // trailing; comment\n// only a comment;\n'
    expect(splitCypher(src)).toEqual([{ text: 'RETURN 1', line: 3, index: 1 }])
  })

  it('keeps a last statement without a semicolon and ignores empty ones', () => {
    expect(splitCypher(';;RETURN 1;;\nRETURN 2').map((s) => s.text)).toEqual(['RETURN 1', 'RETURN 2'])
  })

  it('does not mistake // inside a string for a comment', () => {
    expect(splitCypher("RETURN 'http://x' AS u;").map((s) => s.text)).toEqual(["RETURN 'http://x' AS u"])
  })
})
