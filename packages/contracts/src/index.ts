export * from "./config";
export * from "./credentials";
export * from "./ids";
export * from "./platform";
export * from "./providers";
export * from "./write";
export * from "./writeResponse";
