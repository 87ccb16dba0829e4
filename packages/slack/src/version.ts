/** Kept in step with package.json by a test; sent in the User-Agent of every request. */
export const VERSION = "0.1.0";
