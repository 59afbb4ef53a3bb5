import type { Redis } from "ioredis";
import { z } from "zod";

/**
 * Cross-process cache invalidation. API and worker processes cache API keys and installation
 * config in memory; whoever changes one publishes an event and every process drops its copy
 * within milliseconds. Caches also expire on their own, so a lost message costs at most a TTL.
 */

export const invalidationEventSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("apiKey"), keyHash: z.string() }),
  z.object({ kind: z.literal("project"), projectId: z.string() }),
  z.object({ kind: z.literal("connection"), projectId: z.string(), connectionId: z.string() }),
]);

export type InvalidationEvent = z.infer<typeof invalidationEventSchema>;

export interface InvalidationBus {
  publish(event: InvalidationEvent): Promise<void>;
  close(): Promise<void>;
}

export async function createInvalidationBus(options: {
  publisher: Redis;
  subscriber: Redis;
  prefix: string;
  onEvent: (event: InvalidationEvent) => void;
}): Promise<InvalidationBus> {
  const channel = `${options.prefix}:invalidate`;
  options.subscriber.on("message", (from: string, message: string) => {
    if (from !== channel) return;
    try {
      const parsed = invalidationEventSchema.safeParse(JSON.parse(message));
      if (parsed.success) options.onEvent(parsed.data);
    } catch {
      // A malformed message is somebody else's bug; caches still expire on their own.
    }
  });
  await options.subscriber.subscribe(channel);
  return {
    async publish(event) {
      // Apply locally first: the publishing process must not serve its own stale copy even
      // for the moment the round trip through Redis takes.
      options.onEvent(event);
      await options.publisher.publish(channel, JSON.stringify(event));
    },
    async close() {
      await options.subscriber.unsubscribe(channel).catch(() => {});
    },
  };
}
