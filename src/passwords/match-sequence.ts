/**
 * zxcvbn-ts's search for the most guessable match sequence (its `Scoring.mostGuessableMatchSequence`), computed the
 * same way with fewer objects.
 *
 * zxcvbn-ts keeps its dynamic programme's state in objects keyed by sequence length, walked with `Object.keys` and
 * `parseInt`, and makes two objects and a substring for every bruteforce candidate it weighs (528 of them for a
 * password of 32 code units, many several times over), and a fresh copy of every other match each time it weighs
 * it: about half the cost of a check on a random password, and most of its garbage. Here the state is arrays
 * indexed by sequence length, a match is estimated once, and a bruteforce match becomes an object only when it is
 * the best of its length so far; a dictionary or spatial match is estimated without zxcvbn-ts's copy of it and walk
 * of the keyboard graph. The arithmetic is zxcvbn-ts's, term by term and in the same order, so the guesses,
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
/** A match of zxcvbn-ts's dictionary matchers (plain, reversed, l33t); `subs` and `subDisplay` for l33t ones. */
type DictionaryMatch = Match & {
  matchedWord: string;
  rank: number;
  dictionaryName: string;
  reversed: boolean;
  l33t: boolean;
  subs?: unknown;
  subDisplay?: string;
};

export interface ScoringModules {
  /** zxcvbn-ts's `scoring/estimate` (the guesses of one match). */
  estimate: (options: object, match: Match, password: string) => Estimated;
  /** zxcvbn-ts's dictionary scoring (`matcher/dictionary/scoring`), which its `estimate` calls. */
  dictionary: (
    match: DictionaryMatch,
    options: object,
  ) => { baseGuesses: number; uppercaseVariations: number; l33tVariations: number; calculation: number };
  /** zxcvbn-ts's `data/const`. */
  constants: {
    BRUTEFORCE_CARDINALITY: number;
    MIN_GUESSES_BEFORE_GROWING_SEQUENCE: number;
    MIN_SUBMATCH_GUESSES_SINGLE_CHAR: number;
    MIN_SUBMATCH_GUESSES_MULTI_CHAR: number;
  };
  /** zxcvbn-ts's `scoring/utils` (log10 and factorial, so that the arithmetic is its own). */
  utils: { log10(n: number): number; factorial(n: number): number; nCk(n: number, k: number): number };
}

export interface MatchSequence {
  password: string;
  guesses: number;
  guessesLog10: number;
  sequence: Estimated[];
}

export function matchSequenceSearch(
  options: object,
  { estimate, dictionary, constants, utils }: ScoringModules,
): (password: string, matches: Match[], excludeAdditive?: boolean) => MatchSequence {
  const {
    BRUTEFORCE_CARDINALITY,
    MIN_GUESSES_BEFORE_GROWING_SEQUENCE,
    MIN_SUBMATCH_GUESSES_SINGLE_CHAR,
    MIN_SUBMATCH_GUESSES_MULTI_CHAR,
  } = constants;

  /** zxcvbn-ts's floor on a match's guesses (`estimate`'s getMinGuesses), by token and password length. */
  const minGuessesFor = (tokenLength: number, passwordLength: number): number =>
    tokenLength < passwordLength
      ? tokenLength === 1
        ? MIN_SUBMATCH_GUESSES_SINGLE_CHAR
        : MIN_SUBMATCH_GUESSES_MULTI_CHAR
      : 1;

  /** A bruteforce match's guesses, as zxcvbn-ts's bruteforce scoring and `estimate` make them. */
  const bruteforceGuesses = (length: number, passwordLength: number): number => {
    let guesses = BRUTEFORCE_CARDINALITY ** length;
    if (guesses === Number.POSITIVE_INFINITY) guesses = Number.MAX_VALUE;
    const scored = Math.max(
      guesses,
      length === 1 ? MIN_SUBMATCH_GUESSES_SINGLE_CHAR + 1 : MIN_SUBMATCH_GUESSES_MULTI_CHAR + 1,
    );
    return Math.max(scored, minGuessesFor(length, passwordLength));
  };

  // zxcvbn-ts's spatial scoring walks the whole keyboard graph for every spatial match it weighs (its starting
  // positions and average degree): here once per graph, by the same arithmetic.
  const graphDegrees = new WeakMap<object, { startingPosition: number; averageDegree: number }>();
  const graphs = (options as { graphs?: Record<string, Record<string, (string | null)[]>> }).graphs ?? {};
  const spatialGuesses = (match: Match): number | undefined => {
    const graph = graphs[match.graph as string];
    const turns = match.turns as number;
    const shiftedCount = match.shiftedCount as number;
    if (!graph || typeof turns !== 'number') return undefined;
    let degrees = graphDegrees.get(graph);
    if (!degrees) {
      let average = 0;
      for (const key of Object.keys(graph)) average += graph[key].filter((entry) => !!entry).length;
      average /= Object.entries(graph).length;
      degrees = { startingPosition: Object.keys(graph).length, averageDegree: average };
      graphDegrees.set(graph, degrees);
    }
    const { startingPosition, averageDegree } = degrees;
    let guesses = 0;
    const tokenLength = match.token.length;
    for (let i = 2; i <= tokenLength; i += 1) {
      const possibleTurns = Math.min(turns, i - 1);
      for (let j = 1; j <= possibleTurns; j += 1) {
        guesses += utils.nCk(i - 1, j - 1) * startingPosition * averageDegree ** j;
      }
    }
    if (shiftedCount) {
      const unShiftedCount = tokenLength - shiftedCount;
      if (unShiftedCount === 0) {
        guesses *= 2;
      } else {
        let shiftedVariations = 0;
        for (let i = 1; i <= Math.min(shiftedCount, unShiftedCount); i += 1) {
          shiftedVariations += utils.nCk(shiftedCount + unShiftedCount, i);
        }
        guesses *= shiftedVariations;
      }
    }
    return Math.round(guesses);
  };

  /**
   * zxcvbn-ts's `estimate` of one match: a dictionary match's fields written out (the dictionary matchers make two
   * shapes, with and without the l33t fields, and each is kept), a spatial match's guesses by `spatialGuesses`, any
   * other by zxcvbn-ts's `estimate` itself.
   */
  const estimateMatch = (match: Match, password: string): Estimated => {
    if (match.guesses !== undefined && match.guesses !== null) return estimate(options, match, password);
    const minGuesses = minGuessesFor(match.token.length, password.length);
    if (match.pattern === 'dictionary' && !('levenshteinDistance' in match)) {
      // The fields of the dictionary matchers' matches, written out: V8 copies a spread object field by field
      // through a slow path, most of the cost of zxcvbn-ts's `estimate`.
      const m = match as DictionaryMatch;
      const { baseGuesses, uppercaseVariations, l33tVariations, calculation } = dictionary(m, options);
      const guesses = Math.max(calculation, minGuesses);
      const guessesLog10 = utils.log10(guesses);
      const { pattern, i, j, token, matchedWord, rank, dictionaryName, reversed, l33t } = m;
      return l33t
        ? {
            pattern,
            i,
            j,
            token,
            matchedWord,
            rank,
            dictionaryName,
            reversed,
            l33t,
            subs: m.subs,
            subDisplay: m.subDisplay,
            baseGuesses,
            uppercaseVariations,
            l33tVariations,
            guesses,
            guessesLog10,
          }
        : {
            pattern,
            i,
            j,
            token,
            matchedWord,
            rank,
            dictionaryName,
            reversed,
            l33t,
            baseGuesses,
            uppercaseVariations,
            l33tVariations,
            guesses,
            guessesLog10,
          };
    }
    const scored = match.pattern === 'spatial' ? spatialGuesses(match) : undefined;
    if (scored === undefined) return estimate(options, match, password);
    const guesses = Math.max(scored, minGuesses);
    return { ...match, guesses, guessesLog10: utils.log10(guesses) };
  };

  // The programme's state, kept between calls (a search never runs inside another): for a password of n code
  // units, cell k * (n + 1) + l is the best sequence of l matches covering password[0..k]: `best` its last match,
  // `product` its guesses' product, `total` the minimised function; `has` whether there is one, `longest[k]` the
  // largest l there is. `order` holds the matches by end, then start (`ends[j]` is where those ending at j start).
  /** The longest password (in code units) the state has room for. */
  let capacity = 0;
  let best: (Estimated | undefined)[] = [];
  let product = new Float64Array(0);
  let total = new Float64Array(0);
  let has = new Uint8Array(0);
  let longest = new Int32Array(0);
  let ends = new Int32Array(0);
  const order: Match[] = [];
  /** Room for passwords of n code units, doubled when it grows. */
  const reserve = (n: number) => {
    if (n <= capacity) return;
    capacity = Math.max(n, 2 * capacity);
    const cells = capacity * (capacity + 1);
    best = new Array<Estimated | undefined>(cells).fill(undefined);
    product = new Float64Array(cells);
    total = new Float64Array(cells);
    has = new Uint8Array(cells);
    longest = new Int32Array(capacity);
    ends = new Int32Array(capacity + 2);
  };

  return (password, matches, excludeAdditive = false) => {
    const n = password.length;
    const width = n + 1;
    reserve(n);
    has.fill(0, 0, n * width);
    longest.fill(0, 0, n);
    // The matches ending at each j, by i, ties in their given order: zxcvbn-ts's stable sort of each j's list.
    ends.fill(0, 0, n + 2);
    for (const match of matches) ends[match.j + 2]++;
    for (let j = 0; j < n; j++) ends[j + 2] += ends[j + 1];
    order.length = matches.length;
    for (const match of matches) order[ends[match.j + 1]++] = match;
    // Now the matches ending at j are order[ends[j], ends[j + 1]): an insertion sort (stable) of each by i.
    for (let j = 0; j < n; j++) {
      for (let m = ends[j] + 1; m < ends[j + 1]; m++) {
        const match = order[m];
        let at = m;
        while (at > ends[j] && order[at - 1].i > match.i) {
          order[at] = order[at - 1];
          at--;
        }
        order[at] = match;
      }
    }
    const bruteforce: number[] = [0];
    for (let length = 1; length <= n; length++) bruteforce.push(bruteforceGuesses(length, n));

    // zxcvbn-ts's `update`: is a sequence of l matches ending with password[i..k] (`match`, or a bruteforce match
    // when null, made only if it is kept) with these guesses better than what covers password[0..k] with l or
    // fewer matches?
    const update = (match: Estimated | null, i: number, k: number, guesses: number, l: number): void => {
      let pi = guesses;
      if (l > 1) pi *= product[(i - 1) * width + l - 1];
      let g = utils.factorial(l) * pi;
      if (!excludeAdditive) g += MIN_GUESSES_BEFORE_GROWING_SEQUENCE ** (l - 1);
      const row = k * width;
      const last = Math.min(l, longest[k]);
      for (let c = 1; c <= last; c++) {
        if (has[row + c] && total[row + c] <= g) return;
      }
      total[row + l] = g;
      product[row + l] = pi;
      best[row + l] = match ?? bruteforceMatch(password, i, k, bruteforce[k - i + 1]);
      has[row + l] = 1;
      if (l > longest[k]) longest[k] = l;
    };

    for (let k = 0; k < n; k++) {
      for (let m = ends[k]; m < ends[k + 1]; m++) {
        const match = order[m];
        const estimated = estimateMatch(match, password);
        if (match.i > 0) {
          const row = (match.i - 1) * width;
          for (let l = 1; l <= longest[match.i - 1]; l++) {
            if (has[row + l]) update(estimated, match.i, k, estimated.guesses, l + 1);
          }
        } else {
          update(estimated, 0, k, estimated.guesses, 1);
        }
      }
      // Bruteforce matches ending at k: one from the start, and from each i after a sequence that does not end
      // with one (two adjacent bruteforce matches never beat one spanning both).
      update(null, 0, k, bruteforce[k + 1], 1);
      for (let i = 1; i <= k; i++) {
        const row = (i - 1) * width;
        for (let l = 1; l <= longest[i - 1]; l++) {
          if (has[row + l] && best[row + l]!.pattern !== 'bruteforce') update(null, i, k, bruteforce[k - i + 1], l + 1);
        }
      }
    }

    // zxcvbn-ts's `unwind`: the best sequence covering the whole password, from its end.
    const sequence: Estimated[] = [];
    let guesses = 1;
    if (n > 0) {
      const row = (n - 1) * width;
      let length = 0;
      let g = Infinity;
      for (let l = 1; l <= longest[n - 1]; l++) {
        if (has[row + l] && total[row + l] < g) {
          length = l;
          g = total[row + l];
        }
      }
      guesses = length > 0 ? total[row + length] : NaN;
      let k = n - 1;
      let l = length;
      while (k >= 0) {
        if (l < 1 || !has[k * width + l]) throw new TypeError('no match sequence covers the password');
        const match = best[k * width + l]!;
        sequence.unshift(match);
        k = match.i - 1;
        l -= 1;
      }
    }
    return { password, guesses, guessesLog10: utils.log10(guesses), sequence };
  };

  /** The bruteforce match zxcvbn-ts would have made and estimated. */
  function bruteforceMatch(password: string, i: number, j: number, guesses: number): Estimated {
    return {
      pattern: 'bruteforce',
      token: password.slice(i, j + 1),
      i,
      j,
      guesses,
      guessesLog10: utils.log10(guesses),
    };
  }
}
