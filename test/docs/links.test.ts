import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const REPOSITORY_ROOT = resolve(__dirname, '..', '..');
const DOCUMENTS = [
  'README.md',
  'DEVELOPERS.md',
  ...readdirSync(join(REPOSITORY_ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => join('docs', name)),
];

/** The targets of a page's Markdown links that point at files (not web addresses or anchors). */
function fileLinks(text: string): string[] {
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)]
    .map(([, target = '']) => target.split('#')[0] ?? '')
    .filter((target) => target !== '' && !/^[a-z]+:/i.test(target));
}

describe.each(DOCUMENTS)('%s', (document) => {
  const text = readFileSync(join(REPOSITORY_ROOT, document), 'utf8');

  it('links only to files inside the repository that exist', () => {
    const broken = fileLinks(text).filter((target) => {
      const path = resolve(REPOSITORY_ROOT, dirname(document), target);
      return relative(REPOSITORY_ROOT, path).startsWith('..') || !existsSync(path);
    });

    expect(broken).toEqual([]);
  });

  it('never names the contract files that lived beside the checkout', () => {
    expect(text).not.toMatch(/API-CONTRACT|platform-facts|\.\.\/shared\/reference/);
  });
});
