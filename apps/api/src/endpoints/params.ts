import { z } from "zod";

export const projectParams = z.object({ projectIdOrName: z.string().min(1) });
export const integrationParams = projectParams.extend({ integrationId: z.string().min(1) });
export const installationParams = integrationParams.extend({ installationId: z.string().min(1) });
export const connectionParams = projectParams.extend({ connectionId: z.string().min(1) });
export const apiKeyParams = projectParams.extend({ keyId: z.string().min(1) });
export const operationParams = projectParams.extend({ operationId: z.string().min(1) });
