export { type GeneratedApiKey, generateApiKey, hashApiKey } from "./apiKeys";
export { loadOrCreateDevEncryptionKey } from "./devKey";
export {
  decryptJson,
  type EncryptionKey,
  encryptJson,
  generateEncryptionKey,
  parseEncryptionKey,
} from "./encryption";
export { generateWebhookSecret, signWebhook, verifyWebhookSignature } from "./webhooks";
