/**
 * The password strength estimator: `@zxcvbn-ts/core` 4.x with its common and English dictionaries, configured for
 * speed without changing what it scores.
 *
 * - `l33tMaxSubstitutions` (`L33T_MAX_SUBSTITUTIONS`): the l33t matcher tries at most this many substitutions per
 *   password (zxcvbn-ts's default is 100, which costs 95–230 ms on a random 24–32-character password).
 * - An indexed dictionary lookup replaces zxcvbn-ts's own. zxcvbn-ts looks every substring of the password up in
 *   every dictionary (up to 528 substrings × 20 dictionaries for 32 code points, for the plain, reversed, l33t and
 *   word-sequence matchers alike). The index (one Map, about 30 MB) maps each word of every dictionary to its
 *   ranks, and each prefix of a word to nothing, so the scan from a position stops as soon as no dictionary word starts with what it has read:
 *   after 3–5 characters on a random string. It yields the same matches in the same order, so the same score and
 *   feedback (checked against zxcvbn-ts's own lookup by strength-estimator.spec.ts).
 *
 * The worker thread (strength-worker.ts) runs `createEstimator`; bench/password-check.mjs runs it in-process.
 */

export const L33T_MAX_SUBSTITUTIONS = 2;

export interface EstimatorModules {
  /** Resolved paths of the packages (and of zxcvbn-ts's dictionary matcher, which the index replaces). */
  core: string;
  /** null: not found where zxcvbn-ts 4.2 keeps it; the estimator then keeps zxcvbn-ts's own lookup. */
  dictionaryMatcher: string | null;
  common: string;
  en: string;
}

export interface EstimatorOptions {
  l33tMaxSubstitutions: number;
  /** false: zxcvbn-ts's own dictionary lookup (for comparison). */
  indexed: boolean;
}

export interface Estimate {
  score: number;
  guesses: number;
  warning: string | null;
}

type DictMatch = Record<string, unknown>;
interface MatchOptions {
  password: string;
  userInputsOptions?: { rankedDictionary: Record<string, number> };
  useLevenshtein?: boolean;
}
interface DictionaryMatcher {
  options: {
    rankedDictionaries: Record<string, Record<string, number>>;
    useLevenshteinDistance: boolean;
    isWordSequence(name: string): boolean;
  };
  wordSequenceCheck?: boolean;
}

export function createEstimator(
  load: (path: string) => unknown,
  modules: EstimatorModules,
  config: EstimatorOptions,
): (password: string, userInputs: string[]) => Estimate {
  const { ZxcvbnFactory } = load(modules.core) as {
    ZxcvbnFactory: new (o: object) => {
      options: object;
      check(p: string, u: string[]): { score: number; guesses: number; feedback: { warning: string | null } };
    };
  };
  const common = load(modules.common) as { dictionary: object; adjacencyGraphs: object };
  const en = load(modules.en) as { dictionary: object; translations: object };
  const zxcvbn = new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...en.dictionary },
    graphs: common.adjacencyGraphs,
    translations: en.translations,
    l33tMaxSubstitutions: config.l33tMaxSubstitutions,
  });

  if (config.indexed && modules.dictionaryMatcher) {
    // The lookup is replaced on zxcvbn-ts's dictionary matcher class, which the plain, reversed, l33t and
    // word-sequence matchers share; it applies to this factory's options only, so other factories in the same
    // thread keep zxcvbn-ts's own lookup.
    const MatchDictionary = load(modules.dictionaryMatcher) as {
      prototype: { match(o: MatchOptions): DictMatch[] };
      latchkeyIndexed?: WeakSet<object>;
      /** Builds the index of these options now and gives up zxcvbn-ts's own word lists (see below). */
      latchkeyRelease?: (options: object) => void;
    };
    // Another layout of zxcvbn-ts's internals than 4.2's: keep its own lookup (slower, same results).
    const known =
      typeof (MatchDictionary as { prototype?: { match?: unknown } } | null)?.prototype?.match === 'function';
    if (known && !MatchDictionary.latchkeyIndexed) {
      const indexedOptions = new WeakSet<object>();
      MatchDictionary.latchkeyIndexed = indexedOptions;
      const original = MatchDictionary.prototype.match;
      /**
       * A word's entries, in the dictionaries' order, each `dictionary number × 2^20 + rank` (a small integer, so
       * the index holds no object per word): one number, or a list when the word is in several dictionaries.
       * A prefix of a word that is no word itself: 0.
       */
      type Index = { names: string[]; map: Map<string, number | number[]> };
      const RANK_BITS = 2 ** 20;
      const indexes = new WeakMap<object, { plain: Index; sequences: Index; released: boolean }>();
      const build = (ranked: Record<string, Record<string, number>>, keep: (name: string) => boolean): Index => {
        const names = Object.keys(ranked).filter(keep);
        const map = new Map<string, number | number[]>();
        names.forEach((name, n) => {
          const dict = ranked[name];
          for (const word of Object.keys(dict)) {
            const rank = dict[word];
            if (!(rank > 0 && rank < RANK_BITS)) throw new Error(`rank out of range in ${name}`);
            const entry = n * RANK_BITS + rank;
            const had = map.get(word);
            if (!had) map.set(word, entry);
            else if (typeof had === 'number') map.set(word, [had, entry]);
            else had.push(entry);
            for (let k = word.length - 1; k > 0; k--) {
              const prefix = word.slice(0, k);
              if (map.has(prefix)) break;
              map.set(prefix, 0);
            }
          }
        });
        return { names, map };
      };
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
      const userIndexes = new WeakMap<object, Index>();
      const userIndex = (dict: Record<string, number>): Index => {
        let index = userIndexes.get(dict);
        if (!index) userIndexes.set(dict, (index = build({ userInputs: dict }, () => true)));
        return index;
      };

      MatchDictionary.prototype.match = function indexedMatch(this: DictionaryMatcher, matchOptions: MatchOptions) {
        const ranked = this.options.rankedDictionaries;
        // The index reproduces exact lookups only: Levenshtein matching, or user inputs given as an option
        // dictionary, take zxcvbn-ts's own path.
        if (!indexedOptions.has(this.options) || this.options.useLevenshteinDistance || 'userInputs' in ranked) {
          // Options whose word lists were given up for the index (see below) have nothing left to look up.
          if (indexedOptions.has(this.options) && indexes.get(ranked)?.released) {
            throw new Error('zxcvbn-ts was asked for a lookup the index cannot answer');
          }
          return original.call(this, matchOptions);
        }
        const pair = indexFor(this.options);
        const index = this.wordSequenceCheck ? pair.sequences : pair.plain;
        const user =
          !this.wordSequenceCheck && matchOptions.userInputsOptions
            ? userIndex(matchOptions.userInputsOptions.rankedDictionary)
            : undefined;
        const { password } = matchOptions;
        const lower = password.toLowerCase();
        const matches: DictMatch[] = [];
        const add = (names: string[], entry: number, i: number, j: number, word: string) => {
          matches.push({
            pattern: 'dictionary',
            i,
            j,
            token: password.slice(i, j + 1),
            matchedWord: word,
            rank: entry % RANK_BITS,
            dictionaryName: names[Math.floor(entry / RANK_BITS)],
            reversed: false,
            l33t: false,
          });
        };
        for (let i = 0; i < password.length; i++) {
          for (let j = i; j < password.length; j++) {
            const word = lower.slice(i, j + 1);
            const found = index.map.get(word);
            const own = user?.map.get(word);
            if (found === undefined && own === undefined) break;
            for (const [names, entries] of [
              [index.names, found],
              [user?.names ?? [], own],
            ] as const) {
              if (typeof entries === 'number') {
                if (entries) add(names, entries, i, j, word);
              } else if (entries) {
                for (const entry of entries) add(names, entry, i, j, word);
              }
            }
          }
        }
        return matches;
      };
    }
    if (MatchDictionary.latchkeyIndexed && MatchDictionary.latchkeyRelease) {
      MatchDictionary.latchkeyIndexed.add(zxcvbn.options);
      MatchDictionary.latchkeyRelease(zxcvbn.options);
    }
  }

  return (password, userInputs) => {
    const r = zxcvbn.check(password, userInputs);
    return {
      score: r.score,
      guesses: r.guesses,
      warning: r.feedback.warning || null,
    };
  };
}
