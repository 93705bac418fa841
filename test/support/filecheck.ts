// A FileCheck for tests: checks printed IR against `CHECK` directives as LLVM's FileCheck does
// (CHECK, CHECK-NEXT, CHECK-SAME, CHECK-NOT, CHECK-DAG, CHECK-EMPTY, CHECK-COUNT-n, CHECK-LABEL,
// `{{regex}}`, `[[VAR:regex]]` definitions and `[[VAR]]` uses). Matching is line-based.

/** The kinds of directive. */
export type DirectiveKind = 'CHECK' | 'NEXT' | 'SAME' | 'NOT' | 'DAG' | 'EMPTY' | 'COUNT' | 'LABEL';

/** One parsed check line. */
export interface Directive {
  readonly kind: DirectiveKind;
  /** The pattern text after the colon, trimmed. */
  readonly pattern: string;
  /** For CHECK-COUNT-n. */
  readonly count: number;
  /** 1-based line in the check text (for messages). */
  readonly line: number;
  readonly spelling: string;
}

/** A failed check: the message says which directive, what it looked for and where it searched. */
export class FileCheckError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FileCheckError';
  }
}

const SUFFIXES: Record<string, DirectiveKind> = {
  NEXT: 'NEXT',
  SAME: 'SAME',
  NOT: 'NOT',
  DAG: 'DAG',
  EMPTY: 'EMPTY',
  LABEL: 'LABEL',
};

/** Extracts the directives with `prefix` (default CHECK) from check text, e.g. a test file's comments. */
export function parseDirectives(checkText: string, prefix = 'CHECK'): Directive[] {
  const out: Directive[] = [];
  const re = new RegExp(`(?:^|[^A-Za-z0-9_-])${prefix}(-[A-Za-z0-9-]+)?:(.*)$`);
  checkText.split('\n').forEach((text, i) => {
    const m = re.exec(text);
    if (!m) return;
    const suffix = m[1]?.slice(1);
    const spelling = `${prefix}${m[1] ?? ''}`;
    let kind: DirectiveKind = 'CHECK';
    let count = 1;
    if (suffix !== undefined) {
      const countMatch = /^COUNT-(\d+)$/.exec(suffix);
      if (countMatch) {
        kind = 'COUNT';
        count = Number(countMatch[1]);
        if (count < 1)
          throw new FileCheckError(`check line ${i + 1}: ${spelling} needs a count of at least 1`);
      } else if (SUFFIXES[suffix]) {
        kind = SUFFIXES[suffix];
      } else {
        throw new FileCheckError(`check line ${i + 1}: unknown directive ${spelling}:`);
      }
    }
    const pattern = m[2].trim();
    if (!pattern && kind !== 'EMPTY')
      throw new FileCheckError(`check line ${i + 1}: ${spelling}: has an empty pattern`);
    out.push({ kind, pattern, count, line: i + 1, spelling });
  });
  return out;
}

// ---- patterns ---------------------------------------------------------------------------------

interface Compiled {
  readonly regex: RegExp;
  /** Variables this pattern defines, in capture order. */
  readonly defines: readonly string[];
}

// The `}}` closing a {{regex}} that starts at `from`: braces inside the regex (`[0-9]{4}`) are skipped.
function regexEnd(p: string, from: number): number {
  let depth = 0;
  for (let j = from; j < p.length; j++) {
    const c = p[j];
    if (c === '\\') j++;
    else if (c === '{') depth++;
    else if (c === '}' && depth > 0) depth--;
    else if (c === '}' && p[j + 1] === '}') return j;
  }
  return -1;
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

// Turns a pattern into a regex. Literal text matches itself (whitespace runs match any run of blanks),
// {{re}} is a regex, [[V:re]] captures into V, [[V]] matches V's value (earlier or in this pattern).
function compile(d: Directive, vars: ReadonlyMap<string, string>): Compiled {
  let source = '';
  const defines: string[] = [];
  const p = d.pattern;
  let i = 0;
  while (i < p.length) {
    if (p.startsWith('{{', i)) {
      const end = regexEnd(p, i + 2);
      if (end < 0) throw new FileCheckError(`check line ${d.line}: unterminated {{ in ${d.spelling}: ${p}`);
      source += `(?:${p.slice(i + 2, end)})`;
      i = end + 2;
    } else if (p.startsWith('[[', i)) {
      const end = p.indexOf(']]', i + 2);
      if (end < 0) throw new FileCheckError(`check line ${d.line}: unterminated [[ in ${d.spelling}: ${p}`);
      const body = p.slice(i + 2, end);
      const def = /^([A-Za-z_][A-Za-z0-9_]*):(.*)$/s.exec(body);
      if (def) {
        if (d.kind === 'NOT')
          throw new FileCheckError(`check line ${d.line}: ${d.spelling} cannot define variable ${def[1]}`);
        source += `(?<${def[1]}>${def[2]})`;
        defines.push(def[1]);
      } else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(body)) {
        if (defines.includes(body)) source += `\\k<${body}>`;
        else {
          const value = vars.get(body);
          if (value === undefined)
            throw new FileCheckError(
              `check line ${d.line}: ${d.spelling} uses undefined variable [[${body}]]`,
            );
          source += escape(value);
        }
      } else {
        throw new FileCheckError(`check line ${d.line}: malformed variable [[${body}]] in ${d.spelling}`);
      }
      i = end + 2;
    } else if (/\s/.test(p[i])) {
      while (i < p.length && /\s/.test(p[i])) i++;
      source += '[ \\t]+';
    } else {
      source += escape(p[i]);
      i++;
    }
  }
  try {
    return { regex: new RegExp(source), defines };
  } catch (error) {
    throw new FileCheckError(
      `check line ${d.line}: bad regex in ${d.spelling}: ${p} (${(error as Error).message})`,
    );
  }
}

// ---- matching ---------------------------------------------------------------------------------

interface Pos {
  readonly line: number;
  readonly col: number;
}

interface Match {
  readonly start: Pos;
  readonly end: Pos;
  readonly groups: Record<string, string>;
}

class Checker {
  private readonly lines: string[];
  private readonly vars = new Map<string, string>();

  constructor(private readonly input: string) {
    this.lines = input.split('\n');
  }

  // First match of `d` at or after `from` and before `to` (a line bound, exclusive).
  find(d: Directive, from: Pos, to: number, skip?: (m: Match) => boolean): Match | undefined {
    const { regex, defines } = compile(d, this.vars);
    for (let line = from.line; line < to; line++) {
      const text = this.lines[line];
      if (text === undefined) break;
      let col = line === from.line ? from.col : 0;
      while (col <= text.length) {
        const m = regex.exec(text.slice(col));
        if (!m) break;
        const start = col + m.index;
        const match: Match = {
          start: { line, col: start },
          end: { line, col: start + m[0].length },
          groups: pick(m.groups, defines),
        };
        if (!skip || !skip(match)) return match;
        col = start + 1;
      }
    }
    return undefined;
  }

  bind(match: Match): void {
    for (const [k, v] of Object.entries(match.groups)) this.vars.set(k, v);
  }

  get lineCount(): number {
    return this.lines.length;
  }

  line(i: number): string {
    return this.lines[i] ?? '';
  }

  // The input around `line`, numbered, with the scan start marked.
  context(from: number, to: number): string {
    const out: string[] = [];
    const last = Math.min(to, from + 12, this.lines.length);
    for (let i = Math.max(0, from); i < last; i++)
      out.push(`${i === from ? '>' : ' '}${String(i + 1).padStart(4)} | ${this.lines[i]}`);
    if (last < Math.min(to, this.lines.length)) out.push('      ...');
    return out.join('\n');
  }

  // The input line most like the pattern's literal text, for "possible intended match".
  nearest(d: Directive, from: number, to: number): string {
    const literal = d.pattern.replace(/\{\{.*?\}\}|\[\[.*?\]\]/g, '').trim();
    let best = -1;
    let bestScore = Infinity;
    for (let i = from; i < Math.min(to, this.lines.length); i++) {
      const score = distance(literal, this.lines[i].trim());
      if (score < bestScore) {
        best = i;
        bestScore = score;
      }
    }
    return best < 0 || bestScore > literal.length * 0.6
      ? ''
      : `\npossible intended match at input line ${best + 1}: ${this.lines[best].trim()}`;
  }
}

function pick(groups: Record<string, string> | undefined, names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of names) if (groups?.[n] !== undefined) out[n] = groups[n];
  return out;
}

function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}

function describe(d: Directive): string {
  return `${d.spelling}: ${d.pattern} (check line ${d.line})`;
}

/**
 * Checks `input` against the directives in `checks` (check text, or parsed directives).
 * Throws FileCheckError naming the failing directive, where it searched, and the nearest line.
 */
export function fileCheck(input: string, checks: string | readonly Directive[], prefix = 'CHECK'): void {
  const directives = typeof checks === 'string' ? parseDirectives(checks, prefix) : checks;
  if (!directives.length) throw new FileCheckError(`no ${prefix} directives found`);
  const c = new Checker(input);
  // CHECK-LABEL splits the input first: each label is found in order, and the directives after it
  // may only match up to the next label.
  const regions: { start: Pos; end: number; directives: Directive[] }[] = [
    { start: { line: 0, col: 0 }, end: c.lineCount, directives: [] },
  ];
  let cursor: Pos = { line: 0, col: 0 };
  for (const d of directives) {
    if (d.kind !== 'LABEL') {
      regions[regions.length - 1].directives.push(d);
      continue;
    }
    const m = c.find(d, cursor, c.lineCount);
    if (!m)
      throw new FileCheckError(
        `${describe(d)}: label not found in input\n${c.context(cursor.line, c.lineCount)}${c.nearest(d, cursor.line, c.lineCount)}`,
      );
    c.bind(m);
    regions[regions.length - 1].end = m.start.line;
    regions.push({ start: m.end, end: c.lineCount, directives: [] });
    cursor = m.end;
  }
  for (const r of regions) checkRegion(c, r.directives, r.start, r.end);
}

function checkRegion(c: Checker, directives: readonly Directive[], start: Pos, end: number): void {
  let cursor = start;
  let lastLine = start.line;
  let nots: Directive[] = [];
  const checkNots = (from: Pos, to: Pos): void => {
    for (const d of nots) {
      const m = c.find(d, from, to.line + 1, (x) => x.start.line === to.line && x.end.col > to.col);
      if (m && (m.start.line < to.line || m.end.col <= to.col)) {
        throw new FileCheckError(
          `${describe(d)}: excluded text found at input line ${m.start.line + 1}\n${c.context(m.start.line, m.start.line + 1)}`,
        );
      }
    }
    nots = [];
  };
  for (let i = 0; i < directives.length; i++) {
    const d = directives[i];
    switch (d.kind) {
      case 'NOT':
        nots.push(d);
        break;
      case 'DAG': {
        const group: Directive[] = [];
        while (i < directives.length && directives[i].kind === 'DAG') group.push(directives[i++]);
        i--;
        const taken: Match[] = [];
        for (const g of group) {
          const overlaps = (m: Match): boolean =>
            taken.some(
              (t) => m.start.line === t.start.line && m.start.col < t.end.col && t.start.col < m.end.col,
            );
          const m = c.find(g, cursor, end, overlaps);
          if (!m) throw notFound(c, g, cursor, end);
          c.bind(m);
          taken.push(m);
        }
        const first = taken.reduce((a, b) => (before(b.start, a.start) ? b : a)).start;
        checkNots(cursor, first);
        cursor = taken.reduce((a, b) => (before(a.end, b.end) ? b : a)).end;
        lastLine = cursor.line;
        break;
      }
      case 'EMPTY': {
        const line = lastLine + 1;
        if (line >= end || c.line(line).trim() !== '') {
          throw new FileCheckError(
            `${describe(d)}: input line ${line + 1} is not empty\n${c.context(lastLine, end)}`,
          );
        }
        checkNots(cursor, { line, col: 0 });
        cursor = { line: line + 1, col: 0 };
        lastLine = line;
        break;
      }
      default: {
        const times = d.kind === 'COUNT' ? d.count : 1;
        for (let k = 0; k < times; k++) {
          const m = c.find(d, cursor, end);
          if (!m) throw notFound(c, d, cursor, end, times > 1 ? ` (match ${k + 1} of ${times})` : '');
          if (d.kind === 'NEXT' && m.start.line !== lastLine + 1) {
            throw new FileCheckError(
              `${describe(d)}: not on the line after the previous match (input line ${lastLine + 1}); found at input line ${m.start.line + 1}\n${c.context(lastLine, end)}`,
            );
          }
          if (d.kind === 'SAME' && m.start.line !== lastLine) {
            throw new FileCheckError(
              `${describe(d)}: not on the same line as the previous match (input line ${lastLine + 1})\n${c.context(lastLine, end)}`,
            );
          }
          checkNots(cursor, m.start);
          c.bind(m);
          cursor = m.end;
          lastLine = m.start.line;
        }
      }
    }
  }
  checkNots(cursor, { line: end, col: 0 });
}

function before(a: Pos, b: Pos): boolean {
  return a.line < b.line || (a.line === b.line && a.col < b.col);
}

function notFound(c: Checker, d: Directive, from: Pos, end: number, extra = ''): FileCheckError {
  return new FileCheckError(
    `${describe(d)}: expected string not found in input${extra}\nscanning from input line ${from.line + 1}:\n${c.context(from.line, end)}${c.nearest(d, from.line, end)}`,
  );
}
