import { FaultPolicy } from './fault-policy.js';
import { FlowControl } from './flow-control.js';
import { Ledger } from './ledger.js';
import { MessageStateStore } from './message-state-store.js';
import { PluginStore } from './plugin-store.js';
import { type SimAppConfig, type SimulatorSettings } from './simulator-config.js';
import { SimStats } from './sim-stats.js';
import { TokenRegistry } from './token-registry.js';
import { UserDirectory } from './user-directory.js';

/**
 * Everything one simulator instance knows, shared by the handlers. Settings-derived lookups (apps by key and by
 * robot, directory, flow control, faults) are rebuilt whenever settings change, so the hot path only does map
 * lookups.
 */
export class SimulatorState {
  readonly tokens: TokenRegistry;
  readonly ledger = new Ledger();
  /** Quick entries installed per robot (plugins/set|clear), kept across settings changes until reset. */
  readonly plugins = new PluginStore();
  /** Reads, recalls and aging of delivered messages (readStatus / batchRecall), kept until reset. */
  readonly messages = new MessageStateStore();
  stats: SimStats;
  settings!: SimulatorSettings;
  appsByKey = new Map<string, SimAppConfig>();
  appsByRobot = new Map<string, SimAppConfig>();
  directory!: UserDirectory;
  flowControl!: FlowControl;
  faults: FaultPolicy;
  filteredUserIds: ReadonlySet<string> = new Set();

  constructor(
    settings: SimulatorSettings,
    readonly now: () => number,
  ) {
    this.tokens = new TokenRegistry(now);
    this.stats = new SimStats(now);
    this.faults = new FaultPolicy(settings.faults, now);
    this.apply(settings);
  }

  /** Installs new settings. Flow-control counters restart; faults restart only when the fault settings changed. */
  apply(settings: SimulatorSettings): void {
    const faultsChanged = this.settings !== undefined && settings.faults !== this.settings.faults;
    this.settings = settings;
    this.appsByKey = new Map(settings.apps.map((a) => [a.appKey, a]));
    this.appsByRobot = new Map(settings.apps.map((a) => [a.robotCode, a]));
    this.directory = new UserDirectory(settings.users);
    this.filteredUserIds = new Set(settings.filteredUserIds);
    this.flowControl = new FlowControl(settings.flowControl, () => this.faults.random);
    if (faultsChanged) this.faults.reconfigure(settings.faults);
  }

  /** Forgets everything that happened (ledger, stats, tokens, counters) and installs `settings`. */
  reset(settings: SimulatorSettings): void {
    this.ledger.clear();
    this.plugins.clear();
    this.messages.clear();
    this.tokens.clear();
    this.stats = new SimStats(this.now);
    this.settings = settings;
    this.faults.reconfigure(settings.faults);
    this.apply(settings);
  }
}
