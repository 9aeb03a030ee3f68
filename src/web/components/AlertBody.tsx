import { alertBlocks } from '../../domain/alert-blocks';

/**
 * One section of an alert's plain text as paragraphs and lists (domain/alert-blocks.ts): the same markup
 * in the public pages and in the editor's preview, and never HTML from the text itself.
 */
export function AlertBody({ text }: { text: string }) {
  return (
    <>
      {alertBlocks(text).map((block, i) =>
        block.kind === 'paragraph' ? (
          <p key={i}>{block.text}</p>
        ) : (
          <ul key={i}>
            {block.items.map((item, j) => (
              <li key={j}>{item}</li>
            ))}
          </ul>
        ),
      )}
    </>
  );
}
