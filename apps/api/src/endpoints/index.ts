import type { Endpoint } from "../http/endpoint";
import { deleteApiKey } from "./deleteApiKey";
import { deleteConnection } from "./deleteConnection";
import { deleteInstallation } from "./deleteInstallation";
import { deleteIntegration } from "./deleteIntegration";
import { getApiKeys } from "./getApiKeys";
import { getConnection } from "./getConnection";
import { getConnections } from "./getConnections";
import { getInstallation } from "./getInstallation";
import { getInstallations } from "./getInstallations";
import { getIntegration } from "./getIntegration";
import { getIntegrations } from "./getIntegrations";
import { getOperation } from "./getOperation";
import { getOperations } from "./getOperations";
import { getProject } from "./getProject";
import { getProjects } from "./getProjects";
import { patchConnection } from "./patchConnection";
import { patchInstallation } from "./patchInstallation";
import { patchProject } from "./patchProject";
import { postApiKey } from "./postApiKey";
import { postConnectionGenerate } from "./postConnectionGenerate";
import { postInstallation } from "./postInstallation";
import { postOperationReplay } from "./postOperationReplay";
import { postProject } from "./postProject";
import { postWrite } from "./postWrite";
import { putIntegrationsBatch } from "./putIntegrationsBatch";

/** Every endpoint of the API, in mounting order. */
export const endpoints = [
  // The write endpoint first: Express tries routes in order, and it is the one that is hot.
  postWrite,
  postProject,
  getProjects,
  getProject,
  patchProject,
  postApiKey,
  getApiKeys,
  deleteApiKey,
  putIntegrationsBatch,
  getIntegrations,
  getIntegration,
  deleteIntegration,
  postConnectionGenerate,
  getConnections,
  getConnection,
  patchConnection,
  deleteConnection,
  postInstallation,
  getInstallations,
  getInstallation,
  patchInstallation,
  deleteInstallation,
  getOperations,
  postOperationReplay,
  getOperation,
] as unknown as Endpoint[];
