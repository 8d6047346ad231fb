/** One quick entry exactly as `plugins/set` received it (`name` stays DingTalk's JSON string). */
export interface SimPluginEntry {
  name: string;
  icon: string;
  pcUrl?: string;
  mobileUrl?: string;
}

/** The quick entries installed on each robot, as `plugins/query` reports them. */
export class PluginStore {
  private readonly byRobot = new Map<string, SimPluginEntry[]>();

  /** Replace semantics (spec §6.1 leaves replace-vs-append UNCONFIRMED; the simulator chooses replace). */
  set(robotCode: string, entries: readonly SimPluginEntry[]): void {
    this.byRobot.set(robotCode, entries.map((e) => ({ ...e })));
  }

  get(robotCode: string): SimPluginEntry[] {
    return (this.byRobot.get(robotCode) ?? []).map((e) => ({ ...e }));
  }

  clearRobot(robotCode: string): void {
    this.byRobot.delete(robotCode);
  }

  clear(): void {
    this.byRobot.clear();
  }
}
