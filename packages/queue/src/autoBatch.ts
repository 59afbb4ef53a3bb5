import { createHash } from "node:crypto";
import { Queue, Worker } from "bullmq";
import type { Redis } from "ioredis";
import { type WriteJob, writeJobSchema } from "./catalog";
import type { WriteQueue } from "./writeQueue";

/** Ampersand's auto-batch size: a group is sent as soon as this many records wait. */
export const autoBatchSize = 100;
const flushQueueName = "autobatch-flush";

/**
 * `autoBatchPolicy` writes (Ampersand's auto batching): asynchronous single writes wait in a
 * group per installation + object + type, and the group is sent when 100 records wait or when
 * its oldest record has waited `maxDelayMinutes`, whichever comes first. Sending means handing
 * the records to the write queue together, where the worker coalesces them into provider batch
 * calls; each record keeps its own operation.
 *
 * A group is a Redis list; a delayed BullMQ job per group flushes it on time, and a full group is
 * flushed at once.
 */
export class AutoBatcher {
  private readonly flushQueue: Queue;

  constructor(private readonly options: { connection: Redis; prefix: string }) {
    this.flushQueue = new Queue(flushQueueName, {
      connection: options.connection,
      prefix: options.prefix,
      defaultJobOptions: {
        removeOnComplete: true,
        removeOnFail: { age: 24 * 3600 },
        attempts: 5,
        backoff: { type: "exponential", delay: 1000 },
      },
    });
  }

  static groupKey(
    prefix: string,
    job: Pick<WriteJob, "installationId" | "objectName" | "type">,
  ): string {
    return `${prefix}:autobatch:${job.installationId}:${job.objectName}:${job.type}`;
  }

  static pendingKey(prefix: string, operationId: string): string {
    return `${prefix}:autobatch:op:${operationId}`;
  }

  /** Adds a write to its group; returns when it will be sent at the latest (epoch ms). */
  async add(job: WriteJob, maxDelayMs: number): Promise<number> {
    const data = writeJobSchema.parse(job);
    const group = AutoBatcher.groupKey(this.options.prefix, data);
    const flushAt = Date.now() + maxDelayMs;
    const [[, length]] = ((await this.options.connection
      .multi()
      .rpush(group, JSON.stringify(data))
      .set(
        AutoBatcher.pendingKey(this.options.prefix, data.operationId),
        JSON.stringify({ flushAt, job: data }),
        "PX",
        maxDelayMs + 24 * 3600 * 1000,
      )
      .exec()) ?? [[null, 0]]) as [[unknown, number]];
    if (length === 1) {
      // The group's first record sets its deadline.
      await this.flushQueue.add(
        "flush",
        { group },
        { delay: maxDelayMs, jobId: flushJobId(group, "due") },
      );
    }
    if (length >= autoBatchSize && length % autoBatchSize === 0) {
      await this.flushQueue.add("flush", { group }, { jobId: flushJobId(group, `full-${length}`) });
    }
    return flushAt;
  }

  /** A write still waiting in its group, with when it will be sent at the latest. */
  async pending(operationId: string): Promise<{ flushAt: number; job: WriteJob } | null> {
    const value = await this.options.connection.get(
      AutoBatcher.pendingKey(this.options.prefix, operationId),
    );
    if (value === null) return null;
    const parsed = JSON.parse(value) as { flushAt: number; job: unknown };
    return { flushAt: parsed.flushAt, job: writeJobSchema.parse(parsed.job) };
  }

  /** The queue of flush jobs (for tests and dashboards). */
  get queue(): Queue {
    return this.flushQueue;
  }

  async close(): Promise<void> {
    await this.flushQueue.close();
  }
}

/** BullMQ job ids may not contain ':'; a digest of the group keeps them short and legal. */
function flushJobId(group: string, reason: string): string {
  return `${createHash("sha1").update(group).digest("hex")}-${reason}-${Date.now()}`;
}

/**
 * Flushes groups: takes up to 100 records at a time off the group's list and enqueues them as
 * write jobs in one round trip. Runs in the worker process.
 */
export function createAutoBatchFlushWorker(options: {
  connection: Redis;
  prefix: string;
  writes: WriteQueue;
}): Worker {
  return new Worker(
    flushQueueName,
    async (job) => {
      const group = (job.data as { group: string }).group;
      let flushes = 0;
      for (;;) {
        const raw = (await options.connection.lpop(group, autoBatchSize)) ?? [];
        if (raw.length === 0) return;
        const parsed = raw.map((text) => writeJobSchema.parse(JSON.parse(text)));
        // The records of one flush leave as one provider batch call: tell the workers how many
        // to wait for.
        const coalesce = { group: `${job.id}:${Date.now()}:${++flushes}`, size: parsed.length };
        const jobs = parsed.length > 1 ? parsed.map((item) => ({ ...item, coalesce })) : parsed;
        await options.writes.enqueueMany(jobs);
        await options.connection.del(
          ...jobs.map((item) => AutoBatcher.pendingKey(options.prefix, item.operationId)),
        );
        if (raw.length < autoBatchSize) return;
      }
    },
    { connection: options.connection, prefix: options.prefix, concurrency: 4 },
  );
}
