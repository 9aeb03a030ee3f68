import { describe, expect, it } from 'vitest';
import { injectPageHead } from './public-alert-page-head.js';

const INDEX = [
  '<!doctype html>',
  '<html lang="es">',
  '  <head>',
  '    <meta name="description" content="Vigía documenta agresiones." />',
  '    <title>Vigía</title>',
  '    <script type="module" crossorigin src="/assets/index.js"></script>',
  '  </head>',
  '  <body><div id="root"></div></body>',
  '</html>',
].join('\n');

describe('injectPageHead', () => {
  it('puts the title, description and tags in escaped, once each', () => {
    const html = injectPageHead(INDEX, { status: 200, language: 'en', title: 'A "title" <b>', description: "It's <i>here</i>", tags: '<meta property="og:title" content="x">' });
    expect(html).toContain('<html lang="en"');
    expect(html).toContain('<title>A &quot;title&quot; &lt;b&gt; · Vigía</title>');
    expect(html).toContain('<meta name="description" content="It&apos;s &lt;i&gt;here&lt;/i&gt;">');
    expect(html).toContain('    <meta property="og:title" content="x">\n  </head>');
    expect(html.match(/<title>/g)).toHaveLength(1);
    expect(html.match(/name="description"/g)).toHaveLength(1);
  });

  it("takes an alert's text literally: `$&`, `$'`, `` $` `` and `$$` are not replacement patterns", () => {
    // Through String.replace, these would paste the matched tag or the page before or after it into the head.
    const text = "antes $` medio $' y $& o $$ fin";
    const tags = `<meta property="og:title" content="${text}">`;
    const html = injectPageHead(INDEX, { status: 200, language: 'es', title: text, description: text, tags });
    expect(html).toContain(`<title>antes $\` medio $&apos; y $&amp; o $$ fin · Vigía</title>`);
    expect(html).toContain(`<meta name="description" content="antes $\` medio $&apos; y $&amp; o $$ fin">`);
    expect(html).toContain(`    ${tags}\n  </head>`);
    expect(html.match(/<title>/g)).toHaveLength(1);
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html.match(/<meta/g)).toHaveLength(2);
  });

  it('leaves the page alone for an address with no alert', () => {
    expect(injectPageHead(INDEX, { status: 404, language: 'es', title: '', description: '', tags: '' })).toBe(INDEX);
  });
});
