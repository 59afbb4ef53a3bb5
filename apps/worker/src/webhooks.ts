import { signWebhook } from "@writ/secrets";
import type { Logger } from "@writ/telemetry";
import pRetry from "p-retry";

export interface WriteAsyncDoneData {
  projectId: string;
  provider: string;
  integrationId: string;
  integrationName: string;
  installationId: string;
  groupRef: string;
  groupName: string;
  connectionId: string;
  consumerRef: string;
  consumerName: string;
  operationId: string;
  objectName: string;
  success: boolean;
  successfulRecordIds: string[];
  errors: string[];
}

/** Header carrying `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`. */
export const signatureHeader = "Writ-Signature";

/**
 * Delivers write.async.done notifications (specs/ampersand/notifications_notifications.yaml),
 * signed with the project's webhook secret. A few quick retries; a receiver that stays down
 * misses the notification but the operation endpoint still has the outcome.
 */
export class WebhookSender {
  constructor(
    private readonly logger: Logger,
    private readonly options: {
      timeoutMs?: number;
      retries?: number;
      /** Told each notification's outcome after retries (metrics). */
      onDelivery?: (outcome: "delivered" | "failed") => void;
    } = {},
  ) {}

  async send(url: string, secret: string, data: WriteAsyncDoneData): Promise<boolean> {
    const body = JSON.stringify({ notificationType: "write.async.done", data });
    try {
      await pRetry(
        async () => {
          const timestamp = Math.floor(Date.now() / 1000);
          const response = await fetch(url, {
            method: "POST",
            headers: {
              "Content-Type": "application/json",
              "User-Agent": "writ-webhooks/1",
              "Writ-Event": "write.async.done",
              [signatureHeader]: `t=${timestamp},v1=${signWebhook(secret, timestamp, body)}`,
            },
            body,
            signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
          });
          if (!response.ok) throw new Error(`webhook answered ${response.status}`);
        },
        { retries: this.options.retries ?? 3, minTimeout: 200, factor: 3, randomize: true },
      );
      this.options.onDelivery?.("delivered");
      return true;
    } catch (error) {
      this.options.onDelivery?.("failed");
      this.logger.warn(
        { err: error, operationId: data.operationId, projectId: data.projectId },
        "webhook delivery failed",
      );
      return false;
    }
  }
}
