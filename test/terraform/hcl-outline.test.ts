import { join } from 'node:path';
import { outlineHcl, type OutlineBody } from '../../scripts/lib/hcl-outline';
import { readTerraformModule } from '../../scripts/lib/terraform-config';

/**
 * Where the outline and hcl2json's JSON of the same body disagree: the names at each depth, blocks
 * matched by labels and order, and lines that do not hold the name they are given for.
 */
function disagreements(
  outline: OutlineBody,
  json: unknown,
  lines: readonly string[],
  path: string,
): string[] {
  const body = (json ?? {}) as Record<string, unknown>;
  const names = [...new Set([...outline.arguments.keys(), ...outline.blocks.map((block) => block.type)])];
  const found = [
    ...(names.sort().join() === Object.keys(body).sort().join()
      ? []
      : [`${path}: ${names} vs ${Object.keys(body)}`]),
    ...[...outline.arguments].flatMap(([name, line]) =>
      new RegExp(`\\b${name}\\s*=`).test(lines[line - 1] ?? '') ? [] : [`${path}.${name}: line ${line}`],
    ),
  ];
  const seen = new Map<string, number>();
  for (const block of outline.blocks) {
    const address = [block.type, ...block.labels].join('.');
    const index = seen.get(address) ?? 0;
    seen.set(address, index + 1);
    const instances = [block.type, ...block.labels].reduce<unknown>(
      (value, key) => (value as Record<string, unknown> | undefined)?.[key],
      body,
    );
    const where = `${path}.${address}[${index}]`;
    if (!lines[block.line - 1]?.trimStart().startsWith(block.type))
      found.push(`${where}: line ${block.line}`);
    found.push(...disagreements(block.body, (instances as unknown[] | undefined)?.[index], lines, where));
  }
  return found;
}

describe('outlineHcl', () => {
  it.each([
    ['terraform', undefined],
    ['the schema fixtures', join(__dirname, 'fixtures', 'schema')],
  ])('names every argument and block that hcl2json finds in %s, at every depth and line', async (_, dir) => {
    for (const [name, { text, json }] of await readTerraformModule(dir)) {
      expect(disagreements(outlineHcl(text), json, text.split('\n'), name)).toEqual([]);
    }
  });

  it('skips expressions across lines, templates, heredocs and comments, and ends one-line blocks', () => {
    const outline = outlineHcl(
      [
        'a = { b = "}", c = [', // 1
        '  "${x["}"]} %{ if y }{%{ endif }"', // 2
        '] } # d = 1', // 3
        'e = <<-EOT', // 4
        '  f {', // 5
        '  EOT', // 6
        '/* g { */ h "i" j { k { l = 1 } }', // 7
        '// m = 1', // 8
      ].join('\n'),
    );
    expect(outline).toEqual({
      arguments: new Map([
        ['a', 1],
        ['e', 4],
      ]),
      blocks: [
        {
          type: 'h',
          labels: ['i', 'j'],
          line: 7,
          body: {
            arguments: new Map(),
            blocks: [
              { type: 'k', labels: [], line: 7, body: { arguments: new Map([['l', 7]]), blocks: [] } },
            ],
          },
        },
      ],
    });
  });

  it('names the line of what it cannot follow', () => {
    expect(() => outlineHcl('a {\n  b = "c\n}')).toThrow('line 2: string is not closed');
    expect(() => outlineHcl('a {\n  b = 1\n')).toThrow('block "a" is not closed');
    expect(() => outlineHcl('a = <<EOT\nb\n')).toThrow('line 1: heredoc EOT is not closed');
  });
});
