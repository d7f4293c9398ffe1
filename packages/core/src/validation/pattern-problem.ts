/**
 * Why a user-supplied regular expression may not run on our event loop, or null when it may.
 *
 * Rules run during sync on the server's only thread, so a pattern that backtracks exponentially
 * (`(a+)+$`, `(\w|\d)*x`) would stall every user's syncs, not only its author's. JavaScript has
 * no match timeout, so we refuse the shapes that can: a repeated group that itself contains a
 * repetition or alternatives, and backreferences. What remains is at worst polynomial in the
 * length of a descriptor, which is short. Bounded repeats up to ten (`?`, `{2}`, `{1,4}`) do not
 * count as repetition, so `(inc\.?)?` and `(\d{2}[-/]){2}` stay allowed.
 */
export function patternProblem(source: string): string | null {
  try {
    new RegExp(source);
  } catch (error) {
    return `not a valid regular expression (${(error as Error).message})`;
  }
  interface Group {
    repeats: boolean; // some repetition inside it
    alternates: boolean; // a `|` directly inside it
  }
  const groups: Group[] = [];
  // The group that just closed, which a following quantifier would apply to; null for other atoms.
  let justClosed: Group | null = null;
  for (let i = 0; i < source.length; i++) {
    const char = source[i];
    const previous = justClosed;
    justClosed = null;
    if (char === '\\') {
      const next = source[i + 1] ?? '';
      if (/[1-9]/.test(next) || (next === 'k' && source[i + 2] === '<')) {
        return 'backreferences are not allowed';
      }
      i += 1;
      continue;
    }
    if (char === '[') {
      // A character class is one atom: skip to its closing bracket, minding escapes.
      i += 1;
      if (source[i] === '^') i += 1;
      if (source[i] === ']') i += 1;
      while (i < source.length && source[i] !== ']') i += source[i] === '\\' ? 2 : 1;
      continue;
    }
    if (char === '(') {
      groups.push({ repeats: false, alternates: false });
      // Skip the group's kind (`?:`, `?=`, `?!`, `?<=`, `?<!`, `?<name>`) so its `?` is no quantifier.
      if (source[i + 1] === '?') {
        const kind = /^\?(?::|=|!|<=|<!|<[A-Za-z_$][\w$]*>)/.exec(source.slice(i + 1));
        i += kind ? kind[0].length : 1;
      }
      continue;
    }
    if (char === ')') {
      const group = groups.pop() ?? { repeats: false, alternates: false };
      const parent = groups[groups.length - 1];
      if (parent && group.repeats) parent.repeats = true;
      justClosed = group;
      continue;
    }
    if (char === '|') {
      const innermost = groups[groups.length - 1];
      if (innermost) innermost.alternates = true;
      continue;
    }
    const quantifier = quantifierAt(source, i);
    if (quantifier === null) continue;
    if (quantifier.repeats && previous?.repeats) {
      return 'a repeated group contains a repetition (like `(a+)+`), which can take exponential time';
    }
    if (quantifier.repeats && previous?.alternates) {
      return 'a repeated group contains alternatives (like `(a|ab)+`), which can take exponential time';
    }
    const innermost = groups[groups.length - 1];
    if (innermost && quantifier.repeats) innermost.repeats = true;
    i += quantifier.length - 1;
    if (source[i + 1] === '?') i += 1; // lazy
  }
  return null;
}

/**
 * The quantifier starting at `i` (`*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}`), or null. `repeats` is
 * false for the ones bounded by ten, which cannot multiply backtracking beyond a constant.
 */
function quantifierAt(source: string, i: number): { length: number; repeats: boolean } | null {
  const char = source[i];
  if (char === '*' || char === '+') return { length: 1, repeats: true };
  if (char === '?') return { length: 1, repeats: false };
  if (char !== '{') return null;
  const match = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i, i + 24));
  if (!match) return null;
  const max =
    match[2] === undefined ? Number(match[1]) : match[3] === '' ? Number.POSITIVE_INFINITY : Number(match[3]);
  return { length: match[0].length, repeats: max > 10 };
}
