/** The text's paragraphs: blocks separated by blank lines, each a paragraph or a list of "- " items. */
export function alertBlocks(body: string): ({ kind: 'paragraph'; text: string } | { kind: 'list'; items: string[] })[] {
  return body
    .split(/\n\s*\n/)
    .map((block) => block.trim())
    .filter((block) => block.length > 0)
    .map((block) => {
      const lines = block.split('\n').map((l) => l.trim());
      return lines.every((l) => l.startsWith('- '))
        ? { kind: 'list' as const, items: lines.map((l) => l.slice(2).trim()) }
        : { kind: 'paragraph' as const, text: lines.join(' ') };
    });
}
