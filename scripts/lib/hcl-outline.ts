/**
 * Where things are in an HCL file. `@cdktf/hcl2json` parses a file but drops positions and the difference
 * between `name { … }` (a block) and `name = { … }` (an argument); this outline keeps both, so a schema
 * problem found in the parsed JSON can be reported at its line. It only finds names: it assumes the file
 * already parsed with hcl2json, and skips over expressions without reading them.
 */

/** A block: its type, labels, the 1-based line of its type keyword and what it holds. */
export interface OutlineBlock {
  readonly type: string;
  readonly labels: readonly string[];
  readonly line: number;
  readonly body: OutlineBody;
}

/** A body: its arguments (name to 1-based line) and its blocks in source order. */
export interface OutlineBody {
  readonly arguments: ReadonlyMap<string, number>;
  readonly blocks: readonly OutlineBlock[];
}

const IDENTIFIER = /[A-Za-z_][\w-]*/y;
const HEREDOC = /<<-?([A-Za-z_][\w-]*)\r?\n/y;
const CLOSING: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

class Scanner {
  private pos = 0;
  private readonly lineStarts: number[] = [0];

  constructor(private readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text[i] === '\n') this.lineStarts.push(i + 1);
  }

  outline(): OutlineBody {
    const body = this.body();
    if (this.pos < this.text.length) throw this.error('unexpected "}"');
    return body;
  }

  private lineAt(index: number): number {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if ((this.lineStarts[middle] ?? 0) <= index) low = middle;
      else high = middle - 1;
    }
    return low + 1;
  }

  private error(message: string): Error {
    return new Error(`line ${this.lineAt(this.pos)}: ${message}`);
  }

  /** Items up to the `}` closing this body (left unread) or the end of the text. */
  private body(): OutlineBody {
    const args = new Map<string, number>();
    const blocks: OutlineBlock[] = [];
    for (;;) {
      this.skipSpace(true);
      if (this.pos >= this.text.length || this.text[this.pos] === '}') return { arguments: args, blocks };
      const start = this.pos;
      const name = this.identifier();
      this.skipSpace(false);
      if (this.text[this.pos] === '=' && this.text[this.pos + 1] !== '=') {
        this.pos++;
        args.set(name, this.lineAt(start));
        this.skipExpression();
        continue;
      }
      const labels: string[] = [];
      while (this.text[this.pos] !== '{') {
        labels.push(this.text[this.pos] === '"' ? this.quotedLabel() : this.identifier());
        this.skipSpace(false);
      }
      this.pos++;
      const body = this.body();
      if (this.text[this.pos] !== '}') throw this.error(`block "${name}" is not closed`);
      this.pos++;
      blocks.push({ type: name, labels, line: this.lineAt(start), body });
    }
  }

  private identifier(): string {
    IDENTIFIER.lastIndex = this.pos;
    const match = IDENTIFIER.exec(this.text);
    if (!match) throw this.error('expected a name');
    this.pos = IDENTIFIER.lastIndex;
    return match[0];
  }

  private quotedLabel(): string {
    const end = this.text.indexOf('"', this.pos + 1);
    if (end < 0) throw this.error('label is not closed');
    const label = this.text.slice(this.pos + 1, end);
    this.pos = end + 1;
    return label;
  }

  /** Skips blanks and comments; newlines too when `newlines`. */
  private skipSpace(newlines: boolean): void {
    while (this.pos < this.text.length) {
      const char = this.text[this.pos];
      if (char === ' ' || char === '\t' || char === '\r' || (newlines && char === '\n')) this.pos++;
      else if (char === '#' || this.text.startsWith('//', this.pos)) this.skipLineComment();
      else if (this.text.startsWith('/*', this.pos)) this.skipBlockComment();
      else return;
    }
  }

  private skipLineComment(): void {
    const end = this.text.indexOf('\n', this.pos);
    this.pos = end < 0 ? this.text.length : end;
  }

  private skipBlockComment(): void {
    const end = this.text.indexOf('*/', this.pos + 2);
    if (end < 0) throw this.error('comment is not closed');
    this.pos = end + 2;
  }

  /**
   * Skips an argument's expression: it ends at a newline outside brackets, or before the `}` that closes
   * a one-line block (`content { a = 1 }`).
   */
  private skipExpression(): void {
    while (this.pos < this.text.length) {
      const char = this.text[this.pos] ?? '';
      if (char === '\n' || char === '}') return;
      this.skipToken(char);
    }
  }

  /** Skips everything up to and including `closing`, newlines included. */
  private skipNested(closing: string): void {
    for (;;) {
      if (this.pos >= this.text.length) throw this.error(`expected "${closing}"`);
      const char = this.text[this.pos] ?? '';
      if (char === closing) {
        this.pos++;
        return;
      }
      if (char === '\n') this.pos++;
      else this.skipToken(char);
    }
  }

  private skipToken(char: string): void {
    const closing = CLOSING[char];
    if (closing) {
      this.pos++;
      this.skipNested(closing);
    } else if (char === '"') {
      this.skipString();
    } else if (char === '#' || this.text.startsWith('//', this.pos)) {
      this.skipLineComment();
    } else if (this.text.startsWith('/*', this.pos)) {
      this.skipBlockComment();
    } else if (!this.skipHeredoc()) {
      this.pos++;
    }
  }

  /** A quoted template: `${…}` and `%{…}` hold expressions, which may hold strings of their own. */
  private skipString(): void {
    this.pos++;
    for (;;) {
      const char = this.text[this.pos];
      if (char === undefined || char === '\n') throw this.error('string is not closed');
      if (char === '\\') this.pos += 2;
      else if (char === '"') {
        this.pos++;
        return;
      } else if ((char === '$' || char === '%') && this.text[this.pos + 1] === '{') {
        this.pos += 2;
        this.skipNested('}');
      } else this.pos++;
    }
  }

  private skipHeredoc(): boolean {
    HEREDOC.lastIndex = this.pos;
    const match = HEREDOC.exec(this.text);
    if (!match) return false;
    const marker = new RegExp(`^[ \\t]*${match[1]}[ \\t]*\\r?$`, 'm');
    const rest = this.text.slice(HEREDOC.lastIndex);
    const end = marker.exec(rest);
    if (!end) throw this.error(`heredoc ${match[1]} is not closed`);
    this.pos = HEREDOC.lastIndex + end.index + end[0].length;
    return true;
  }
}

/** The outline of an HCL file's text; throws with a line number on text it cannot follow. */
export function outlineHcl(text: string): OutlineBody {
  return new Scanner(text).outline();
}
