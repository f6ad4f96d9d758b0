import { buildOpenApiDocument } from "./document";
import { OPERATIONS } from "./operations";

/** docs/openapi.json as `npm run openapi` writes it (and the contract test expects it to be committed). */
export const OPENAPI_FILE = "docs/openapi.json";

export const renderOpenApiDocument = () => `${JSON.stringify(buildOpenApiDocument(OPERATIONS), null, 2)}\n`;
