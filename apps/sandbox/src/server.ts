import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { createSandboxAdmin, type SandboxAdmin } from "./accounts";
import { createSandboxApp } from "./app";

export interface SandboxOptions {
  /** Default 0: a free port picked by the OS. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default true: an unknown bearer token gets a fresh account with default limits, so a demo works with any token. */
  autoCreateAccounts?: boolean;
  /** Newest request-log entries kept per account. Default 100 000. */
  requestLogCap?: number;
}

export interface Sandbox {
  /** http://host:port, without a trailing slash. */
  url: string;
  admin: SandboxAdmin;
  close(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const host = options.host ?? "127.0.0.1";
  const admin = createSandboxAdmin({
    ...(options.autoCreateAccounts === undefined
      ? {}
      : { autoCreateAccounts: options.autoCreateAccounts }),
    ...(options.requestLogCap === undefined ? {} : { requestLogCap: options.requestLogCap }),
  });
  const server = createSandboxApp(admin).listen(options.port ?? 0, host);
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    admin,
    close: async () => {
      const closed = new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
      });
      // Keep-alive clients would otherwise hold close() open until their sockets time out.
      server.closeAllConnections();
      await closed;
    },
  };
}
