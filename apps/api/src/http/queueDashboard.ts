import { ExpressAdapter } from "@bull-board/express";
import { mountQueueDashboard, type WriteQueue } from "@writ/queue";
import type { Express, RequestHandler } from "express";
import { sameSecret } from "./auth";
import { HttpProblem, sendProblem } from "./problem";

export const queueDashboardPath = "/admin/queues";

/**
 * Lets through requests carrying the admin token, either as the password of HTTP Basic auth
 * (any user name; what a browser's login prompt sends) or as `Authorization: Bearer <token>`.
 */
export function requireAdminToken(adminToken: string, realm: string): RequestHandler {
  return (req, res, next) => {
    const match = /^(Basic|Bearer)\s+(.+)$/i.exec(req.get("authorization") ?? "");
    const scheme = match?.[1]?.toLowerCase();
    const value = match?.[2]?.trim() ?? "";
    let presented: string | undefined;
    if (scheme === "bearer") presented = value;
    if (scheme === "basic") {
      const decoded = Buffer.from(value, "base64").toString("utf8");
      const colon = decoded.indexOf(":");
      presented = colon >= 0 ? decoded.slice(colon + 1) : undefined;
    }
    if (presented !== undefined && sameSecret(presented, adminToken)) {
      next();
      return;
    }
    res.set("WWW-Authenticate", `Basic realm="${realm}", charset="UTF-8"`);
    sendProblem(
      req,
      res,
      new HttpProblem(
        "unauthenticated",
        "the queue dashboard needs the admin token (as the Basic auth password, or a bearer token)",
      ),
    );
  };
}

/**
 * Bull Board over the write queue, behind the admin token. Read-only unless `allowWrites`:
 * retrying, promoting or cleaning jobs from a browser changes what the workers do.
 */
export function queueDashboard(options: {
  writes: WriteQueue;
  adminToken: string;
  allowWrites: boolean;
}): RequestHandler[] {
  const server = new ExpressAdapter();
  server.setBasePath(queueDashboardPath);
  mountQueueDashboard({ server, writes: options.writes, readOnly: !options.allowWrites });
  const board: Express = server.getRouter();
  board.disable("x-powered-by");
  return [requireAdminToken(options.adminToken, "Writ queues"), board];
}
