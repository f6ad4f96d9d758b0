"use client";

import { ApiReferenceReact, type AnyApiReferenceConfiguration } from "@scalar/api-reference-react";
import "@scalar/api-reference-react/style.css";
import "./scalar-theme.css";
// The committed document (the contract test keeps it equal to what /api/openapi.json serves): bundled
// into this chunk, it arrives with the code instead of in a second round trip after Scalar mounts.
import openApiDocument from "@/docs/openapi.json";

/**
 * Everything Scalar would fetch from or send to scalar.com is off: its fonts, telemetry, the API
 * client and its request proxy, the agent chat, the MCP and developer-tools buttons (the last two
 * appear on localhost by default). The page stays on this origin, as its CSP requires.
 */
const configuration: AnyApiReferenceConfiguration = {
  content: openApiDocument,
  withDefaultFonts: false,
  telemetry: false,
  hideClientButton: true,
  hideTestRequestButton: true,
  showDeveloperTools: "never",
  mcp: { disabled: true },
  agent: { disabled: true },
  // The site is light only; a toggle would restyle the reference alone.
  forceDarkModeState: "light",
  hideDarkModeToggle: true,
  documentDownloadType: "json",
};

export default function ScalarReference() {
  return <ApiReferenceReact configuration={configuration} />;
}
