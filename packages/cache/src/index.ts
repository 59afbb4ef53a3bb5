export { TtlCache } from "./ttlCache";
