import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { HTTP_METHODS, type HttpMethod } from "@/lib/http/route-methods";

const ROOT = process.cwd();

export interface RouteFile {
  /** The route's directory under app/, as Next names it: "/api/coupon-books/[id]". */
  route: string;
  /** The methods the file serves for real (a `routeMethods({...})` call's keys, or plain exports). */
  methods: HttpMethod[];
  /** Every HTTP method the module exports, the generated 405 answers included. */
  exported: HttpMethod[];
  load: () => Promise<Record<string, unknown>>;
}

/** Exported names and, for `export const {…} = routeMethods({ GET: …, POST: … })`, the keys of that object. */
function exportsOf(file: string): { names: string[]; implemented?: string[] } {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const names: string[] = [];
  let implemented: string[] | undefined;
  const bound = (name: ts.BindingName): string[] =>
    ts.isIdentifier(name) ? [name.text] : name.elements.flatMap((element) => (ts.isOmittedExpression(element) ? [] : bound(element.name)));
  for (const statement of source.statements) {
    const exported = ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (exported && ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        names.push(...bound(declaration.name));
        const init = declaration.initializer;
        if (init && ts.isCallExpression(init) && ts.isIdentifier(init.expression) && init.expression.text === "routeMethods") {
          const [handlers] = init.arguments;
          if (!handlers || !ts.isObjectLiteralExpression(handlers)) throw new Error(`${file}: routeMethods() takes an object literal, so the methods can be read`);
          implemented = handlers.properties.map((property) => {
            if (!property.name || !(ts.isIdentifier(property.name) || ts.isStringLiteral(property.name))) throw new Error(`${file}: computed method name`);
            return property.name.text;
          });
        }
      }
    } else if (exported && (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name) names.push(statement.name.text);
    else if (ts.isExportDeclaration(statement)) {
      if (!statement.exportClause || !ts.isNamedExports(statement.exportClause)) throw new Error(`${file}: export * hides which methods it exports`);
      names.push(...statement.exportClause.elements.map((element) => element.name.text));
    }
  }
  return { names, implemented };
}

/**
 * The names a module exports, read from its syntax tree rather than by importing it: some modules
 * (Auth.js's route, the login actions) do not load outside Next's runtime. `export *` cannot be
 * resolved this way, so it fails loudly instead of hiding a method.
 */
export const exportedNames = (file: string): string[] => exportsOf(file).names;


/** Every app/api/**\/route.ts with the methods it serves and the methods it exports. */
export function discoverRoutes(): Map<string, RouteFile> {
  const files = (readdirSync(path.join(ROOT, "app/api"), { recursive: true }) as string[]).filter((file) => /(^|\/)route\.(ts|tsx|js)$/.test(file));
  const routes = new Map<string, RouteFile>();
  for (const file of files.sort()) {
    const route = `/api/${path.dirname(file).split(path.sep).join("/")}`;
    const absolute = path.join(ROOT, "app/api", file);
    const { names, implemented } = exportsOf(absolute);
    const exported = HTTP_METHODS.filter((method) => names.includes(method));
    const methods = implemented ? HTTP_METHODS.filter((method) => implemented.includes(method)) : exported;
    routes.set(route, { route, methods, exported, load: () => import(absolute) as Promise<Record<string, unknown>> });
  }
  return routes;
}
