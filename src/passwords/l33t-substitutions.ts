/**
 * zxcvbn-ts's l33t unmunger (`getCleanPasswords`): the first `limit` readings of a password with its l33t
 * substitutions undone, fully substituted ones first, in zxcvbn-ts's order. Its depth-first search makes an object
 * for every step's arguments, two arrays of trie nodes, a string per node and a copy of the substitutions so far;
 * this one walks the same tree in the same order with one stack of substitutions, copied only into a result.
 * l33t-substitutions.spec.ts checks it against zxcvbn-ts's on every limit.
 */

/** zxcvbn-ts's trie of l33t substitutions (`options.trieNodeRoot`): a node per prefix of a substitution. */
export interface L33tTrieNode {
  /** The substitution this node spells, one character per element. */
  parents: string[];
  children: Map<string, L33tTrieNode>;
  /** The letters the substitution this node spells stands for; absent unless it spells a whole one. */
  subs?: string[];
}

export interface L33tChange {
  /** Where the letter is in the substituted password. */
  i: number;
  letter: string;
  substitution: string;
}

export interface SubstitutedPassword {
  password: string;
  changes: L33tChange[];
  isFullSubstitution: boolean;
}

/** Whether zxcvbn-ts's trie has the shape this file reads. */
export function isL33tTrie(root: unknown): root is L33tTrieNode {
  const node = root as Partial<L33tTrieNode> | null;
  return !!node && Array.isArray(node.parents) && node.children instanceof Map;
}

const spelled = new WeakMap<L33tTrieNode, string>();
const substitutionOf = (node: L33tTrieNode): string => {
  let text = spelled.get(node);
  if (text === undefined) spelled.set(node, (text = node.parents.join('')));
  return text;
};

export function substitutedPasswords(password: string, limit: number, root: L33tTrieNode): SubstitutedPassword[] {
  const results: SubstitutedPassword[] = [];
  const buffer: string[] = [];
  const changes: L33tChange[] = [];

  /** The trie node for password[index, index + depth]: zxcvbn-ts's `getAllPossibleSubsAtIndex(index)[depth]`. */
  const nodeAt = (index: number, depth: number): L33tTrieNode | undefined => {
    let node: L33tTrieNode | undefined = root;
    for (let k = 0; k <= depth && node; k++) node = node.children.get(password.charAt(index + k));
    return node;
  };

  const helper = (
    onlyFullSub: boolean,
    isFullSub: boolean,
    index: number,
    subIndex: number,
    lastSubLetter: string | undefined,
    consecutiveSubCount: number,
  ): void => {
    if (results.length >= limit) return;
    if (index === password.length) {
      if (onlyFullSub === isFullSub) {
        results.push({ password: buffer.join(''), changes: changes.slice(), isFullSubstitution: onlyFullSub });
      }
      return;
    }
    // The substitutions that start here, the widest first.
    let depth = 0;
    while (index + depth < password.length && nodeAt(index, depth)) depth++;
    let hasSubs = false;
    for (let d = depth - 1; d >= 0; d--) {
      const node = nodeAt(index, d)!;
      if (!node.subs) continue;
      const sub = substitutionOf(node);
      // zxcvbn-ts skips a fourth or later consecutive substitution of the same text.
      if (lastSubLetter === sub && consecutiveSubCount >= 3) continue;
      hasSubs = true;
      for (const letter of node.subs) {
        buffer.push(letter);
        changes.push({ i: subIndex, letter, substitution: sub });
        helper(
          onlyFullSub,
          isFullSub,
          index + sub.length,
          subIndex + letter.length,
          sub,
          lastSubLetter === sub ? consecutiveSubCount + 1 : 1,
        );
        changes.pop();
        buffer.pop();
        if (results.length >= limit) return;
      }
    }
    // Then the character itself, where partial substitutions are wanted or none starts here.
    if (!onlyFullSub || !hasSubs) {
      buffer.push(password.charAt(index));
      helper(onlyFullSub, isFullSub && !hasSubs, index + 1, subIndex + 1, lastSubLetter, consecutiveSubCount);
      buffer.pop();
    }
  };

  helper(true, true, 0, 0, undefined, 0);
  helper(false, true, 0, 0, undefined, 0);
  return results;
}
