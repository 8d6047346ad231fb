/**
 * Edit distance with adjacent transpositions (optimal string alignment): `histroy` → `history` is one edit, the
 * typo a person makes most, where plain Levenshtein counts two.
 */
export function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = best;
    }
  }
  return rows[a.length]![b.length]!;
}

/**
 * The candidate nearest to what was typed, if it is near enough to be what was meant: at most one edit per three
 * characters typed, rounded up, so `sned` finds `sends` but `frobnicate` finds nothing. Ties go to the first.
 */
export function closestMatch(typed: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.max(1, Math.ceil(typed.length / 3));
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(typed.toLowerCase(), candidate.toLowerCase());
    if (distance <= limit && (!best || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}

/** ` Did you mean `history`?`, or nothing when no candidate is near; `show` words the match (e.g. with its group). */
export function didYouMean(typed: string, candidates: Iterable<string>, show: (match: string) => string = (match) => match): string {
  const match = closestMatch(typed, candidates);
  return match === undefined ? '' : ` Did you mean \`${show(match)}\`?`;
}
