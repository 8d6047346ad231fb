import { type BeforeApplicationShutdown, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ChatConfigurationUnreadableError } from '../chat-configurations/chat-configuration.js';
import { UnreadableConfigurationNotices } from '../chat-configurations/unreadable-configuration-notices.js';
import { type RequestContext, runInRequestContext } from '../logging/request-context.js';
import type { ReadTrackingSettings } from './read-tracking.settings.js';

/**
 * The lifecycle of a worker's periodic scan for work kept in Postgres under leases (read-status polls, recalls): a
 * timer started at boot, one scan at a time (overlapping calls share the scan under way), and a shutdown that stops
 * taking up new work and waits for the scan under way. What a scan claims and runs is the subclass's `scan`.
 */
export abstract class LeaseScanner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  protected readonly logger: Logger;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  /** Set at shutdown: a scan checks it between claims, leaving the rest to their leases. */
  protected stopped = false;
  /** A page of an unreadable configuration's items makes one line, not one each. */
  private readonly unreadable: UnreadableConfigurationNotices;

  constructor(
    name: string,
    private readonly settings: Pick<ReadTrackingSettings, 'scanIntervalMs' | 'unreadableConfigurationBackoffMs'>,
  ) {
    this.logger = new Logger(name);
    this.unreadable = new UnreadableConfigurationNotices(this.logger, settings.unreadableConfigurationBackoffMs);
  }

  /** Claims and runs what is due, page after page, until none is left or the scanner stops; returns how much it took up. */
  protected abstract scan(): Promise<number>;

  /**
   * Pushes the due time of every item of `chatConfiguration` that is due sooner, and of the claimed item `itemId`
   * (whose lease may run longer), to `delayMs` from now, without ending any.
   */
  protected abstract holdBack(chatConfiguration: string, itemId: string, delayMs: number): Promise<void>;

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.scanOnce().catch(() => undefined), this.settings.scanIntervalMs);
    this.timer.unref();
  }

  /** Before connections close: the scan under way still needs Postgres and DingTalk to finish its items. */
  beforeApplicationShutdown(): Promise<void> {
    return this.stop();
  }

  /** Stops taking up work (the items a scan claimed but did not start keep their leases) and waits for the scan. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Runs a scan now, or joins the one under way. */
  scanOnce(): Promise<number> {
    this.running ??= this.scan().finally(() => (this.running = undefined));
    return this.running;
  }

  /**
   * Runs one claimed item; never throws. Postgres or a bug: logged, and the item's lease hands it to a later scan. A
   * configuration whose secrets cannot be decrypted fails every item of it alike, so all its items are held back for
   * the back-off and it is logged once per back-off, however many items it has.
   */
  protected async runClaimed(what: string, itemId: string, run: () => Promise<unknown>, context: RequestContext = {}): Promise<void> {
    try {
      // Lines logged while running it name the batch or send it is about.
      await runInRequestContext(context, run);
    } catch (error) {
      if (!(error instanceof ChatConfigurationUnreadableError)) {
        this.logger.error(`${what} failed: ${(error as Error).message}`);
        return;
      }
      try {
        await this.holdBack(error.chatConfiguration, itemId, this.unreadable.backoffMs);
      } catch (holdError) {
        this.logger.error(`holding back chat configuration ${error.chatConfiguration} failed: ${(holdError as Error).message}`);
      }
      this.unreadable.report(error);
    }
  }
}
