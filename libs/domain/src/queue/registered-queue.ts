import { getQueueToken } from '@nestjs/bull';
import type { ModuleRef } from '@nestjs/core';
import type { QueueName } from '@dingrelay/contracts';
import type { Queue } from 'bull';

/** The Bull queue some module of this app registered under `name` (BullModule.registerQueue), if any did. */
export function registeredQueue(moduleRef: ModuleRef, name: QueueName): Queue | undefined {
  try {
    return moduleRef.get<Queue>(getQueueToken(name), { strict: false });
  } catch {
    return undefined;
  }
}
