/**
 * The password strength estimator: `@zxcvbn-ts/core` 4.x with its common and English dictionaries, configured for
 * speed without changing what it scores.
 *
 * - `l33tMaxSubstitutions` (`L33T_MAX_SUBSTITUTIONS`): the l33t matcher tries at most this many substitutions per
 *   password (zxcvbn-ts's default is 100, which costs 95–230 ms on a random 24–32-character password).
 * - An indexed dictionary lookup replaces zxcvbn-ts's own. zxcvbn-ts looks every substring of the password up in
 *   every dictionary (up to 528 substrings × 20 dictionaries for 32 code points, for the plain, reversed, l33t and
 *   word-sequence matchers alike). The index (`WordIndex`: the sorted words in typed arrays, about 5 MB outside
 *   V8's heap) finds the words that start with what the scan from a position has read, so the scan stops as soon as
 *   none does: after 3–5 characters on a random string. It yields the same matches in the same order, so the same
 *   score and feedback (checked against zxcvbn-ts's own lookup by strength-estimator.spec.ts).
 *
 * - The l33t matchers (zxcvbn-ts's own and its word-sequence matcher's) run on the same scan (`l33tMatch`, with
 *   l33t-substitutions.ts for the substituted readings), making a match only of a word they keep.
 * - The search for the most guessable match sequence, and the estimates of its matches, are match-sequence.ts's,
 *   which computes zxcvbn-ts's with a fraction of its objects.
 *
 * The worker thread (strength-worker.ts) runs `createEstimator`; bench/password-check.mjs runs it in-process.
 */

import { isL33tTrie, type L33tTrieNode, substitutedPasswords } from './l33t-substitutions.js';
import { matchSequenceSearch, type ScoringModules } from './match-sequence.js';

export const L33T_MAX_SUBSTITUTIONS = 2;

export interface EstimatorModules {
  /** Resolved paths of the packages (and of zxcvbn-ts's dictionary matcher, which the index replaces). */
  core: string;
  /** null: not found where zxcvbn-ts 4.2 keeps it; the estimator then keeps zxcvbn-ts's own lookup. */
  dictionaryMatcher: string | null;
  /**
   * zxcvbn-ts's `scoring/estimate`, dictionary scoring, `data/const` and `scoring/utils`, which the match sequence
   * search uses (match-sequence.ts); null: not found where zxcvbn-ts 4.2 keeps them, and zxcvbn-ts's own search stays.
   */
  scoring: { estimate: string; dictionary: string; constants: string; utils: string } | null;
  common: string;
  en: string;
}

export interface EstimatorOptions {
  l33tMaxSubstitutions: number;
  /**
   * The indexed dictionary lookup and the match sequence search of match-sequence.ts, which give zxcvbn-ts's results
   * faster; false: zxcvbn-ts's own (for comparison).
   */
  fast: boolean;
}

export interface Estimate {
  score: number;
  guesses: number;
  warning: string | null;
}

type DictMatch = Record<string, unknown>;
interface MatchOptions {
  password: string;
  /** The user's words lower-cased, and the length of the longest as given (zxcvbn-ts's getUserInputsOptions). */
  userInputsOptions?: { rankedDictionary: Record<string, number>; rankedDictionaryMaxWordSize: number };
  useLevenshtein?: boolean;
}
/** A dictionary word found at password[i..j]. */
type Visit = (i: number, j: number, dictionaryName: string, rank: number) => void;
type Scan = (
  options: DictionaryMatcher['options'],
  wordSequenceCheck: boolean,
  password: string,
  lower: string,
  userInputsOptions: MatchOptions['userInputsOptions'],
  visit: Visit,
) => boolean;

interface DictionaryMatcher {
  options: {
    rankedDictionaries: Record<string, Record<string, number>>;
    useLevenshteinDistance: boolean;
    isWordSequence(name: string): boolean;
  };
  wordSequenceCheck?: boolean;
}

/**
 * Words with their dictionaries and ranks, sorted by UTF-16 code units and packed into typed arrays, whose contents
 * V8's garbage collector neither holds as objects nor traces (a Map of every word and prefix held hundreds of
 * thousands of strings, about 30 MB of heap that every full collection marked).
 *
 * The words that start with a given prefix are a contiguous range of the sorted list, the prefix itself first when
 * it is a word; a scan narrows that range by one code unit at a time (`lowerBound`) and stops when it is empty.
 */
export class WordIndex {
  private constructor(
    /** The dictionaries' names, in their order: an entry's dictionary is a position in this list. */
    private readonly names: readonly string[],
    /** The code units of every word, back to back. */
    private readonly chars: Uint16Array,
    /** Word w is chars[starts[w], starts[w + 1]). */
    private readonly starts: Uint32Array,
    /** Word w's entries are [entryStarts[w], entryStarts[w + 1]), in the dictionaries' order. */
    private readonly entryStarts: Uint32Array,
    private readonly entryDictionaries: Uint8Array,
    private readonly entryRanks: Uint32Array,
  ) {}

  /** The words of `ranked`'s dictionaries `names` (words as zxcvbn-ts ranks them: lower case). */
  static build(ranked: Record<string, Record<string, number>>, names: string[]): WordIndex {
    if (names.length > 256) throw new Error('too many dictionaries for the word index');
    // Entry e: words[e] in dictionary dictionaryOf[e] at rank rankOf[e]. (Object.keys, not Object.entries, which
    // would make an array per word.)
    const keys = names.map((name) => Object.keys(ranked[name]));
    const words = keys.flat();
    const dictionaryOf = new Uint8Array(words.length);
    const rankOf = new Uint32Array(words.length);
    let e = 0;
    keys.forEach((dictionaryWords, n) => {
      const dictionary = ranked[names[n]];
      for (const word of dictionaryWords) {
        const rank = dictionary[word];
        if (!(Number.isInteger(rank) && rank >= 0 && rank < 2 ** 32))
          throw new Error(`rank out of range in ${names[n]}`);
        dictionaryOf[e] = n;
        rankOf[e++] = rank;
      }
    });
    // A stable sort: a word's entries stay in the dictionaries' order, the order zxcvbn-ts reports its matches in.
    const order = words.map((_, entry) => entry);
    order.sort((a, b) => (words[a] < words[b] ? -1 : words[a] > words[b] ? 1 : 0));
    // Plain loops below: typed arrays' `from` and flatMap took as long as the sort.
    let distinct = 0;
    let length = 0;
    for (let o = 0; o < order.length; o++) {
      const word = words[order[o]];
      if (o === 0 || word !== words[order[o - 1]]) {
        distinct++;
        length += word.length;
      }
    }
    const chars = new Uint16Array(length);
    const starts = new Uint32Array(distinct + 1);
    const entryStarts = new Uint32Array(distinct + 1);
    const entryDictionaries = new Uint8Array(order.length);
    const entryRanks = new Uint32Array(order.length);
    let w = 0;
    let at = 0;
    for (let o = 0; o < order.length; o++) {
      const word = words[order[o]];
      if (o === 0 || word !== words[order[o - 1]]) {
        starts[w] = at;
        entryStarts[w++] = o;
        for (let k = 0; k < word.length; k++) chars[at++] = word.charCodeAt(k);
      }
      entryDictionaries[o] = dictionaryOf[order[o]];
      entryRanks[o] = rankOf[order[o]];
    }
    starts[distinct] = at;
    entryStarts[distinct] = order.length;
    return new WordIndex(names, chars, starts, entryStarts, entryDictionaries, entryRanks);
  }

  /**
   * The ranges of the words that start with each ASCII code unit and each pair of them, [lo, hi) at 2n and 2n + 1:
   * n = c0 for one code unit, 128 + c0 * 128 + c1 for two. A scan's first two steps are its dearest, binary searches
   * over every word, and on a password mostly ASCII.
   */
  private table: Uint32Array | null = null;

  /** Builds the table of ASCII prefixes (130 KB, for the large indexes: a user's few words are searched as fast). */
  withPrefixTable(): this {
    const table = new Uint32Array(2 * (128 + 128 * 128));
    for (let c0 = 0; c0 < 128; c0++) {
      const lo = this.lowerBound(0, this.size, 0, c0);
      const hi = this.lowerBound(lo, this.size, 0, c0 + 1);
      table[2 * c0] = lo;
      table[2 * c0 + 1] = hi;
      for (let c1 = 0; c1 < 128; c1++) {
        const n = 128 + c0 * 128 + c1;
        table[2 * n] = this.lowerBound(lo, hi, 1, c1);
        table[2 * n + 1] = this.lowerBound(table[2 * n], hi, 1, c1 + 1);
      }
    }
    this.table = table;
    return this;
  }

  /**
   * For the scan from a position, after it read k + 1 code units, c the last and c0 the first, the start of the words
   * that begin with them: from the table when it can (k < 2, ASCII), or -1. `prefixHi` gives the end.
   */
  prefixLo(k: number, c0: number, c: number): number {
    if (this.table === null || k > 1 || c > 127 || c0 > 127) return -1;
    return this.table[k === 0 ? 2 * c : 2 * (128 + c0 * 128 + c)];
  }

  prefixHi(k: number, c0: number, c: number): number {
    return this.table![k === 0 ? 2 * c + 1 : 2 * (128 + c0 * 128 + c) + 1];
  }

  /** The number of distinct words. */
  get size(): number {
    return this.starts.length - 1;
  }

  wordLength(w: number): number {
    return this.starts[w + 1] - this.starts[w];
  }

  /**
   * In [lo, hi), a range of words that share their first k code units, the first word whose code unit k is at least
   * `c` (a word of k code units counts as below every code unit), or hi: a binary search that reads one code unit
   * per step and allocates nothing.
   */
  lowerBound(lo: number, hi: number, k: number, c: number): number {
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const at = this.starts[mid] + k;
      if (at < this.starts[mid + 1] && this.chars[at] >= c) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Word w's dictionaries and ranks, in the dictionaries' order, as found at password[i..j]. */
  entries(w: number, i: number, j: number, visit: Visit): void {
    for (let e = this.entryStarts[w]; e < this.entryStarts[w + 1]; e++) {
      visit(i, j, this.names[this.entryDictionaries[e]], this.entryRanks[e]);
    }
  }
}

interface L33tMatcher {
  wordSequenceCheck?: boolean;
  options: DictionaryMatcher['options'] & { l33tMaxSubstitutions: number; trieNodeRoot: L33tTrieNode };
  match(o: MatchOptions): DictMatch[];
}

const ASCII = /^[\x00-\x7f]*$/;

/**
 * zxcvbn-ts's l33t matcher (`MatchL33t.match`), step for step, on the index's scan. zxcvbn-ts looks each
 * substituted password up as a plain one, copies every match (most of them words with no substitution in them, which
 * it then drops), finds its place in the password by walking all the substitutions, and checks it against every
 * match kept so far; here a word becomes a match only once it is kept, its place comes from running sums, and a Set
 * finds repeats. The matches, their order and their fields are zxcvbn-ts's (strength-estimator.spec.ts).
 */
function l33tMatch(matcher: L33tMatcher, scan: Scan): L33tMatcher['match'] {
  const original = matcher.match;
  return function match(this: L33tMatcher, matchOptions) {
    const { password } = matchOptions;
    const matches: DictMatch[] = [];
    const kept = new Set<string>();
    let hasFullMatch = false;
    const subbed = substitutedPasswords(password, this.options.l33tMaxSubstitutions, this.options.trieNodeRoot);
    for (const { password: substituted, changes } of subbed) {
      if (hasFullMatch) break;
      const lower = substituted.toLowerCase();
      // A word at substituted[i..j] is password[i + shift[i], j + through[j]]: shift[p] sums how much longer than
      // their letters the substitutions before p are, through[p] those up to p.
      const shift = new Int32Array(substituted.length + 1);
      const through = new Int32Array(substituted.length + 1);
      let c = 0;
      let sum = 0;
      for (let p = 0; p <= substituted.length; p++) {
        shift[p] = sum;
        while (c < changes.length && changes[c].i <= p) {
          if (changes[c].i === p) sum += changes[c].substitution.length - changes[c].letter.length;
          c++;
        }
        through[p] = sum;
      }
      // covered[p]: how many of substituted[0..p) a substitution wrote. In an ASCII password, a word none of whose
      // characters a substitution wrote is the password's own, and zxcvbn-ts drops it (token === matched word):
      // it is skipped before any string is made of it.
      const ascii = ASCII.test(substituted);
      const covered = new Int32Array(substituted.length + 1);
      for (const change of changes) {
        for (let p = change.i; p < change.i + change.letter.length && p < substituted.length; p++) covered[p + 1] = 1;
      }
      for (let p = 0; p < substituted.length; p++) covered[p + 1] += covered[p];
      // The substitutions inside the span last kept, and their display.
      let spanI = -1;
      let spanJ = -1;
      let spanSubs: { letter: string; substitution: string }[] = [];
      let spanDisplay = '';
      const found = scan(
        this.options,
        Boolean(this.wordSequenceCheck),
        substituted,
        lower,
        matchOptions.userInputsOptions,
        (i, j, name, rank) => {
          const from = i + shift[i];
          const to = j + through[j];
          if (!hasFullMatch) hasFullMatch = from === 0 && to === password.length - 1;
          if (ascii && covered[j + 1] === covered[i]) return;
          const token = password.slice(from, to + 1);
          const matchedWord = lower.slice(i, j + 1);
          // Only the matches with a substitution in them, and not one character long (zxcvbn-ts drops those last;
          // one dropped this way could only have hidden another as short).
          if (token.length <= 1 || token.toLowerCase() === matchedWord) return;
          const key = `${from},${to},${name}\u0000${matchedWord}`;
          if (kept.has(key)) return;
          kept.add(key);
          // The substitutions inside the word, once per span: a span's words in several dictionaries share them
          // (zxcvbn-ts reads them, never writes them).
          if (i !== spanI || j !== spanJ) {
            spanI = i;
            spanJ = j;
            spanSubs = [];
            spanDisplay = '';
            const seen: string[] = [];
            for (const change of changes) {
              if (change.i < i || change.i > j) continue;
              const subKey = `${change.letter}-${change.substitution}`;
              if (seen.includes(subKey)) continue;
              seen.push(subKey);
              spanSubs.push({ letter: change.letter, substitution: change.substitution });
              spanDisplay += `${spanDisplay ? ', ' : ''}${change.substitution} -> ${change.letter}`;
            }
          }
          matches.push({
            pattern: 'dictionary',
            i: from,
            j: to,
            token,
            matchedWord,
            rank,
            dictionaryName: name,
            reversed: false,
            l33t: true,
            subs: spanSubs,
            subDisplay: spanDisplay,
          });
        },
      );
      if (!found) return original.call(this, matchOptions);
    }
    return matches;
  };
}

/**
 * Runs `checks` checks on made-up passwords of every shape the matchers handle (random strings, words, keyboard
 * walks, l33t spellings, dates, repeats), so that V8 has compiled the estimator's paths before the first request:
 * a cold check costs several times a warm one. The inputs come from a fixed seed: every start does the same work.
 */
export function warmUp(estimate: (password: string, userInputs: string[]) => unknown, checks: number): void {
  let seed = 0x2545f491;
  const next = (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  const pieces = ['abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_', '@4$5!1|0339+7(', ' -_.'];
  const words = ['correct', 'horse', 'battery', 'staple', 'password', 'dragon', 'monkey', 'sunshine', 'qwerty', 'asdf'];
  const shapes = [
    () => Array.from({ length: 8 + next(25) }, () => pieces[0][next(64)]).join(''),
    () => Array.from({ length: 2 + next(4) }, () => words[next(words.length)]).join(pieces[2][next(4)]),
    () => Array.from({ length: 8 + next(25) }, () => pieces[1][next(14)]).join(''),
    () => `${words[next(words.length)].replace(/[aeios]/g, (c) => '4310$'['aeios'.indexOf(c)])}${1950 + next(80)}`,
    () => `${next(31) + 1}/${next(12) + 1}/19${next(100)}${'zxcvbnm'.slice(next(4))}${'ab'.repeat(1 + next(4))}`,
  ];
  for (let n = 0; n < checks; n++) estimate(shapes[n % shapes.length](), ['olive.owner', 'olive', 'acme']);
}

/** zxcvbn-ts's result (`ZxcvbnFactory.check`), as far as the estimator reads it. */
export interface ZxcvbnResult {
  score: number;
  guesses: number;
  feedback: { warning: string | null; suggestions: string[] };
  sequence: object[];
  calcTime: number;
}

export function createEstimator(
  load: (path: string) => unknown,
  modules: EstimatorModules,
  config: EstimatorOptions,
): (password: string, userInputs: string[]) => Estimate {
  const check = createZxcvbn(load, modules, config);
  return (password, userInputs) => {
    const r = check(password, userInputs);
    return {
      score: r.score,
      guesses: r.guesses,
      warning: r.feedback.warning || null,
    };
  };
}

/** A zxcvbn-ts factory with the common and English dictionaries in this configuration: its `check`. */
export function createZxcvbn(
  load: (path: string) => unknown,
  modules: EstimatorModules,
  config: EstimatorOptions,
): (password: string, userInputs: string[]) => ZxcvbnResult {
  const { ZxcvbnFactory } = load(modules.core) as {
    ZxcvbnFactory: new (o: object) => { options: object; check(p: string, u: string[]): ZxcvbnResult };
  };
  const common = load(modules.common) as { dictionary: object; adjacencyGraphs: object };
  const en = load(modules.en) as { dictionary: object; translations: object };
  const zxcvbn = new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...en.dictionary },
    graphs: common.adjacencyGraphs,
    translations: en.translations,
    l33tMaxSubstitutions: config.l33tMaxSubstitutions,
  });

  if (config.fast && modules.dictionaryMatcher) {
    // The lookup is replaced on zxcvbn-ts's dictionary matcher class, which the plain, reversed, l33t and
    // word-sequence matchers share; it applies to this factory's options only, so other factories in the same
    // thread keep zxcvbn-ts's own lookup.
    const MatchDictionary = load(modules.dictionaryMatcher) as {
      prototype: { match(o: MatchOptions): DictMatch[] };
      latchkeyIndexed?: WeakSet<object>;
      /** Builds the index of these options now and gives up zxcvbn-ts's own word lists (see below). */
      latchkeyRelease?: (options: object) => void;
      latchkeyScan?: Scan;
    };
    // Another layout of zxcvbn-ts's internals than 4.2's: keep its own lookup (slower, same results).
    const known =
      typeof (MatchDictionary as { prototype?: { match?: unknown } } | null)?.prototype?.match === 'function';
    if (known && !MatchDictionary.latchkeyIndexed) {
      const indexedOptions = new WeakSet<object>();
      MatchDictionary.latchkeyIndexed = indexedOptions;
      const original = MatchDictionary.prototype.match;
      const indexes = new WeakMap<object, { plain: WordIndex; sequences: WordIndex; released: boolean }>();
      const build = (ranked: Record<string, Record<string, number>>, keep: (name: string) => boolean) =>
        WordIndex.build(ranked, Object.keys(ranked).filter(keep)).withPrefixTable();
      const indexFor = (options: DictionaryMatcher['options']) => {
        const ranked = options.rankedDictionaries;
        let pair = indexes.get(ranked);
        if (!pair) {
          pair = {
            plain: build(ranked, () => true),
            sequences: build(ranked, (name) => options.isWordSequence(name)),
            released: false,
          };
          indexes.set(ranked, pair);
        }
        return pair;
      };
      MatchDictionary.latchkeyRelease = (options) => {
        // The index holds every word and its ranks: zxcvbn-ts's ranked copies (one object per dictionary, about
        // 13 MB of heap) are no longer read for these options, nor the word lists they were built from.
        const own = options as DictionaryMatcher['options'] & { dictionary: object };
        const pair = indexFor(own);
        pair.released = true;
        for (const name of Object.keys(own.rankedDictionaries)) own.rankedDictionaries[name] = {};
        own.dictionary = {};
      };
      const userIndexes = new WeakMap<object, WordIndex>();
      const userIndex = (dict: Record<string, number>): WordIndex => {
        let index = userIndexes.get(dict);
        if (!index) userIndexes.set(dict, (index = WordIndex.build({ userInputs: dict }, ['userInputs'])));
        return index;
      };

      /**
       * Visits every (i, j, dictionary, rank) the dictionary matcher would report for `password`, in its order;
       * false, visiting nothing, when the index cannot answer for these options (zxcvbn-ts's own lookup must).
       */
      MatchDictionary.latchkeyScan = (options, wordSequenceCheck, password, lower, userInputsOptions, visit) => {
        const ranked = options.rankedDictionaries;
        // The index reproduces exact lookups only: Levenshtein matching, or user inputs given as an option
        // dictionary, take zxcvbn-ts's own path.
        if (!indexedOptions.has(options) || options.useLevenshteinDistance || 'userInputs' in ranked) {
          // Options whose word lists were given up for the index (see below) have nothing left to look up.
          if (indexedOptions.has(options) && indexes.get(ranked)?.released) {
            throw new Error('zxcvbn-ts was asked for a lookup the index cannot answer');
          }
          return false;
        }
        const pair = indexFor(options);
        const index = wordSequenceCheck ? pair.sequences : pair.plain;
        const user =
          !wordSequenceCheck && userInputsOptions ? userIndex(userInputsOptions.rankedDictionary) : undefined;
        // zxcvbn-ts looks up no word longer than its dictionary's longest entry, measured as given, but the whole
        // password. For its own dictionaries that changes nothing (their entries are their words); a user's input
        // that lower-casing lengthens ('İ' becomes two code units) is found only as the whole password.
        const userLongest = userInputsOptions?.rankedDictionaryMaxWordSize ?? Infinity;
        for (let i = 0; i < password.length; i++) {
          // The words that start with lower[i..j], narrowed as j grows: [lo, hi) in the index, [ownLo, ownHi) in
          // the user's.
          let lo = 0;
          let hi = index.size;
          let ownLo = 0;
          let ownHi = user?.size ?? 0;
          const c0 = lower.charCodeAt(i);
          for (let j = i; j < password.length; j++) {
            const k = j - i;
            const c = lower.charCodeAt(j);
            const from = index.prefixLo(k, c0, c);
            if (from >= 0) {
              lo = from;
              hi = index.prefixHi(k, c0, c);
            } else {
              lo = index.lowerBound(lo, hi, k, c);
              hi = index.lowerBound(lo, hi, k, c + 1);
            }
            if (user) {
              ownLo = user.lowerBound(ownLo, ownHi, k, c);
              ownHi = user.lowerBound(ownLo, ownHi, k, c + 1);
            }
            if (lo === hi && ownLo === ownHi) break;
            // A word that is lower[i..j] itself sorts first among the words it begins.
            if (lo < hi && index.wordLength(lo) === k + 1) index.entries(lo, i, j, visit);
            if (
              user &&
              ownLo < ownHi &&
              user.wordLength(ownLo) === k + 1 &&
              (k + 1 <= userLongest || (i === 0 && j === password.length - 1))
            ) {
              user.entries(ownLo, i, j, visit);
            }
          }
        }
        return true;
      };

      MatchDictionary.prototype.match = function indexedMatch(this: DictionaryMatcher, matchOptions: MatchOptions) {
        const { password } = matchOptions;
        const lower = password.toLowerCase();
        const matches: DictMatch[] = [];
        const found = MatchDictionary.latchkeyScan!(
          this.options,
          Boolean(this.wordSequenceCheck),
          password,
          lower,
          matchOptions.userInputsOptions,
          (i, j, name, rank) => {
            matches.push({
              pattern: 'dictionary',
              i,
              j,
              token: password.slice(i, j + 1),
              matchedWord: lower.slice(i, j + 1),
              rank,
              dictionaryName: name,
              reversed: false,
              l33t: false,
            });
          },
        );
        return found ? matches : original.call(this, matchOptions);
      };
    }
    if (MatchDictionary.latchkeyIndexed && MatchDictionary.latchkeyRelease) {
      MatchDictionary.latchkeyIndexed.add(zxcvbn.options);
      MatchDictionary.latchkeyRelease(zxcvbn.options);
    }
    // This factory's two l33t matchers (its own and its word-sequence matcher's), as own properties.
    const matchers = (
      zxcvbn as unknown as {
        matching?: { matchers?: { dictionaryL33t?: L33tMatcher; wordSequence?: { dictionaryL33t?: L33tMatcher } } };
      }
    ).matching?.matchers;
    for (const l33t of [matchers?.dictionaryL33t, matchers?.wordSequence?.dictionaryL33t]) {
      if (MatchDictionary.latchkeyScan && typeof l33t?.match === 'function' && isL33tTrie(l33t.options?.trieNodeRoot)) {
        l33t.match = l33tMatch(l33t, MatchDictionary.latchkeyScan);
      }
    }
  }

  if (config.fast && modules.scoring) {
    // On this factory's two searches (its own and its repeat matcher's, which scores a repeated part), as own
    // properties: other factories keep zxcvbn-ts's.
    const scoring: ScoringModules = {
      estimate: load(modules.scoring.estimate) as ScoringModules['estimate'],
      dictionary: load(modules.scoring.dictionary) as ScoringModules['dictionary'],
      constants: load(modules.scoring.constants) as ScoringModules['constants'],
      utils: load(modules.scoring.utils) as ScoringModules['utils'],
    };
    const factory = zxcvbn as unknown as {
      scoring?: { mostGuessableMatchSequence?: unknown };
      matching?: { matchers?: { repeat?: { scoring?: { mostGuessableMatchSequence?: unknown } } } };
    };
    const searches = [factory.scoring, factory.matching?.matchers?.repeat?.scoring];
    if (
      typeof scoring.estimate === 'function' &&
      typeof scoring.dictionary === 'function' &&
      typeof scoring.utils?.factorial === 'function' &&
      typeof scoring.constants?.BRUTEFORCE_CARDINALITY === 'number' &&
      searches.every((search) => typeof search?.mostGuessableMatchSequence === 'function')
    ) {
      for (const search of searches) search!.mostGuessableMatchSequence = matchSequenceSearch(zxcvbn.options, scoring);
    }
  }

  return (password, userInputs) => zxcvbn.check(password, userInputs);
}
