/**
 * zxcvbn-ts's search for the most guessable match sequence (its `Scoring.mostGuessableMatchSequence`), computed the
 * same way with fewer objects.
 *
 * zxcvbn-ts keeps its dynamic programme's state in objects keyed by sequence length, walked with `Object.keys` and
 * `parseInt`, and makes two objects and a substring for every bruteforce candidate it weighs (528 of them for a
 * password of 32 code units, many several times over), and a fresh copy of every other match each time it weighs
 * it: about half the cost of a check on a random password, and most of its garbage. Here the state is arrays
 * indexed by sequence length, a match is estimated once, and a bruteforce match becomes an object only when it is
 * the best of its length so far. The arithmetic is zxcvbn-ts's, term by term and in the same order, so the guesses,
 * the sequence and so the score and feedback are the same (strength-estimator.spec.ts checks them against zxcvbn-ts).
 */

interface Match {
  pattern: string;
  i: number;
  j: number;
  token: string;
  guesses?: number | null;
  [key: string]: unknown;
}
type Estimated = Match & { guesses: number; guessesLog10: number };

export interface ScoringModules {
  /** zxcvbn-ts's `scoring/estimate` (the guesses of one match). */
  estimate: (options: object, match: Match, password: string) => Estimated;
  /** zxcvbn-ts's `data/const`. */
  constants: {
    BRUTEFORCE_CARDINALITY: number;
    MIN_GUESSES_BEFORE_GROWING_SEQUENCE: number;
    MIN_SUBMATCH_GUESSES_SINGLE_CHAR: number;
    MIN_SUBMATCH_GUESSES_MULTI_CHAR: number;
  };
  /** zxcvbn-ts's `scoring/utils` (log10 and factorial, so that the arithmetic is its own). */
  utils: { log10(n: number): number; factorial(n: number): number };
}

export interface MatchSequence {
  password: string;
  guesses: number;
  guessesLog10: number;
  sequence: Estimated[];
}

export function matchSequenceSearch(
  options: object,
  { estimate, constants, utils }: ScoringModules,
): (password: string, matches: Match[], excludeAdditive?: boolean) => MatchSequence {
  const {
    BRUTEFORCE_CARDINALITY,
    MIN_GUESSES_BEFORE_GROWING_SEQUENCE,
    MIN_SUBMATCH_GUESSES_SINGLE_CHAR,
    MIN_SUBMATCH_GUESSES_MULTI_CHAR,
  } = constants;

  /** A bruteforce match's guesses, as zxcvbn-ts's bruteforce scoring and `estimate` make them. */
  const bruteforceGuesses = (length: number, passwordLength: number): number => {
    let guesses = BRUTEFORCE_CARDINALITY ** length;
    if (guesses === Number.POSITIVE_INFINITY) guesses = Number.MAX_VALUE;
    const scored = Math.max(
      guesses,
      length === 1 ? MIN_SUBMATCH_GUESSES_SINGLE_CHAR + 1 : MIN_SUBMATCH_GUESSES_MULTI_CHAR + 1,
    );
    const minGuesses =
      length < passwordLength ? (length === 1 ? MIN_SUBMATCH_GUESSES_SINGLE_CHAR : MIN_SUBMATCH_GUESSES_MULTI_CHAR) : 1;
    return Math.max(scored, minGuesses);
  };

  return (password, matches, excludeAdditive = false) => {
    const n = password.length;
    // The matches ending at each j, by i (a stable sort, as zxcvbn-ts's).
    const byEnd: Match[][] = [];
    for (let k = 0; k < n; k++) byEnd.push([]);
    for (const match of matches) byEnd[match.j].push(match);
    for (const list of byEnd) if (list.length > 1) list.sort((a, b) => a.i - b.i);

    // best[k][l]: the last match of the best sequence of l matches covering password[0..k] (undefined: none);
    // product[k][l] its guesses' product, total[k][l] the minimised function.
    const best: (Estimated | { i: number; j: number; pattern: 'bruteforce' } | undefined)[][] = [];
    const product: number[][] = [];
    const total: number[][] = [];
    for (let k = 0; k < n; k++) {
      best.push([]);
      product.push([]);
      total.push([]);
    }
    const bruteforce: number[] = [0];
    for (let length = 1; length <= n; length++) bruteforce.push(bruteforceGuesses(length, n));

    // zxcvbn-ts's `update`: is a sequence of l matches ending with this one (guesses `guesses`, from i to k) better
    // than what covers password[0..k] with l or fewer matches? `bruteforce` stands for the match when it is one.
    const update = (
      match: Estimated | { i: number; j: number; pattern: 'bruteforce' },
      guesses: number,
      l: number,
    ): void => {
      const k = match.j;
      let pi = guesses;
      if (l > 1) pi *= product[match.i - 1][l - 1];
      let g = utils.factorial(l) * pi;
      if (!excludeAdditive) g += MIN_GUESSES_BEFORE_GROWING_SEQUENCE ** (l - 1);
      const competing = total[k];
      const last = Math.min(l, competing.length - 1);
      for (let c = 1; c <= last; c++) {
        if (best[k][c] !== undefined && competing[c] <= g) return;
      }
      total[k][l] = g;
      best[k][l] = match;
      product[k][l] = pi;
    };

    for (let k = 0; k < n; k++) {
      for (const match of byEnd[k]) {
        const estimated = estimate(options, match, password);
        if (match.i > 0) {
          const previous = best[match.i - 1];
          for (let l = 1; l < previous.length; l++) {
            if (previous[l] !== undefined) update(estimated, estimated.guesses, l + 1);
          }
        } else {
          update(estimated, estimated.guesses, 1);
        }
      }
      // Bruteforce matches ending at k: one from the start, and from each i after a sequence that does not end
      // with one (two adjacent bruteforce matches never beat one spanning both).
      update({ pattern: 'bruteforce', i: 0, j: k }, bruteforce[k + 1], 1);
      for (let i = 1; i <= k; i++) {
        const previous = best[i - 1];
        let match: { pattern: 'bruteforce'; i: number; j: number } | undefined;
        for (let l = 1; l < previous.length; l++) {
          const last = previous[l];
          if (last !== undefined && last.pattern !== 'bruteforce') {
            match ??= { pattern: 'bruteforce', i, j: k };
            update(match, bruteforce[k - i + 1], l + 1);
          }
        }
      }
    }

    // zxcvbn-ts's `unwind`: the best sequence covering the whole password, from its end.
    const sequence: Estimated[] = [];
    let guesses = 1;
    if (n > 0) {
      let length = 0;
      let g = Infinity;
      const totals = total[n - 1];
      for (let l = 1; l < totals.length; l++) {
        if (best[n - 1][l] !== undefined && totals[l] < g) {
          length = l;
          g = totals[l];
        }
      }
      guesses = totals[length];
      let k = n - 1;
      let l = length;
      while (k >= 0) {
        const match = best[k][l];
        if (match === undefined) throw new TypeError('no match sequence covers the password');
        sequence.unshift(
          match.pattern === 'bruteforce' && !('token' in match) ? materialise(match.i, match.j) : (match as Estimated),
        );
        k = match.i - 1;
        l -= 1;
      }
    }
    return { password, guesses, guessesLog10: utils.log10(guesses), sequence };

    /** The bruteforce match zxcvbn-ts would have made and estimated. */
    function materialise(i: number, j: number): Estimated {
      const guesses = bruteforce[j - i + 1];
      return {
        pattern: 'bruteforce',
        token: password.slice(i, j + 1),
        i,
        j,
        guesses,
        guessesLog10: utils.log10(guesses),
      };
    }
  };
}
