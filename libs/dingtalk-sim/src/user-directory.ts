import { type UserDirectoryConfig } from './simulator-config.js';

/** The org's user directory: decides who is a real userId (everyone else lands in `invalidStaffIdList`). */
export class UserDirectory {
  private readonly pattern: RegExp | undefined;
  private readonly ids: ReadonlySet<string> | undefined;

  constructor(config: UserDirectoryConfig) {
    if ('pattern' in config) this.pattern = new RegExp(config.pattern);
    else this.ids = new Set(config.ids);
  }

  has(userId: string): boolean {
    return this.ids ? this.ids.has(userId) : this.pattern!.test(userId);
  }
}
