/**
 * A collaborator that a module above this one registers at start-up: it owns a table this module needs, and it
 * imports this module, so it cannot be injected here (AccountMembers, TokenCreators).
 */
export class Registration<T> {
  private value: T | undefined;

  /** `what` names the collaborator and `module` the one that registers it, for the errors. */
  constructor(
    private readonly what: string,
    private readonly module: string,
  ) {}

  set(value: T): void {
    if (this.value) throw new Error(`${this.what} are registered already`);
    this.value = value;
  }

  get(): T {
    if (!this.value) throw new Error(`no ${this.what} registered: import ${this.module}`);
    return this.value;
  }
}
