// SPDX-License-Identifier: MIT
// Reads the public surface out of a program: the names each entry point exports (with what they
// can be used as), and which official declarations the corpus actually uses.
import ts from "typescript";
import { ENTRY_PAIRS } from "./entries.js";
import { ENTRIES_FILE } from "./programs.js";

/** What a name can be used as: a value, a type, a namespace (`import x = ns.member`). */
export type Meaning = "value" | "type" | "namespace";

/** One exported name of one entry point. */
export interface ExportedName {
  /** The official entry point, e.g. `@restatedev/restate-sdk/fetch`. */
  readonly entry: string;
  readonly name: string;
  readonly meanings: readonly Meaning[];
  /** The symbol behind the export (aliases resolved). */
  readonly symbol: ts.Symbol;
}

function resolve(checker: ts.TypeChecker, symbol: ts.Symbol): ts.Symbol {
  return symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
}

function meaningsOf(symbol: ts.Symbol): Meaning[] {
  const meanings: Meaning[] = [];
  if (symbol.flags & ts.SymbolFlags.Value) meanings.push("value");
  if (symbol.flags & ts.SymbolFlags.Type) meanings.push("type");
  // An enum is a namespace to the compiler too, but only real namespaces take `import x = ns.y`.
  if (symbol.flags & (ts.SymbolFlags.ValueModule | ts.SymbolFlags.NamespaceModule)) {
    meanings.push("namespace");
  }
  return meanings;
}

/**
 * The exports of every entry point as `program` resolves them (through the virtual entries file).
 * An entry point that does not resolve has no exports.
 */
export function entryExports(program: ts.Program): ExportedName[] {
  const checker = program.getTypeChecker();
  const file = program.getSourceFile(ENTRIES_FILE);
  if (file === undefined) throw new Error("entries file missing from the program");
  const result: ExportedName[] = [];
  let index = 0;
  for (const statement of file.statements) {
    if (!ts.isImportDeclaration(statement)) continue;
    const entry = ENTRY_PAIRS[index++]?.official ?? "?";
    const moduleSymbol = checker.getSymbolAtLocation(statement.moduleSpecifier);
    if (moduleSymbol === undefined) continue;
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      const symbol = resolve(checker, exported);
      result.push({ entry, name: exported.name, meanings: meaningsOf(symbol), symbol });
    }
  }
  return result;
}

/** What the corpus uses: declarations it names, and overload declarations its calls pick. */
export interface Usage {
  readonly declarations: ReadonlySet<ts.Declaration>;
  readonly signatures: ReadonlySet<ts.Declaration>;
}

function propertyOfContextualType(
  checker: ts.TypeChecker,
  node: ts.ObjectLiteralElementLike,
): ts.Symbol | undefined {
  if (node.name === undefined || !ts.isObjectLiteralExpression(node.parent)) return undefined;
  const type = checker.getContextualType(node.parent);
  const name = node.name.getText();
  if (type === undefined) return undefined;
  const candidates = type.isUnion() ? type.types : [type];
  for (const candidate of candidates) {
    const property = checker.getPropertyOfType(candidate, name);
    if (property !== undefined) return property;
  }
  return undefined;
}

/** Collects the declarations that the given corpus files name or call. */
export function corpusUsage(program: ts.Program, fileNames: readonly string[]): Usage {
  const checker = program.getTypeChecker();
  const declarations = new Set<ts.Declaration>();
  const signatures = new Set<ts.Declaration>();
  const addSymbol = (symbol: ts.Symbol | undefined) => {
    if (symbol === undefined) return;
    for (const s of [symbol, resolve(checker, symbol)]) {
      for (const declaration of s.declarations ?? []) declarations.add(declaration);
    }
  };
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) {
      addSymbol(checker.getSymbolAtLocation(node));
    }
    if (
      (ts.isPropertyAssignment(node) ||
        ts.isShorthandPropertyAssignment(node) ||
        ts.isMethodDeclaration(node)) &&
      ts.isObjectLiteralExpression(node.parent)
    ) {
      addSymbol(propertyOfContextualType(checker, node));
    }
    if (ts.isBindingElement(node) && ts.isObjectBindingPattern(node.parent)) {
      const name = node.propertyName ?? node.name;
      const type = checker.getTypeAtLocation(node.parent);
      if (ts.isIdentifier(name)) addSymbol(checker.getPropertyOfType(type, name.text));
    }
    if (ts.isCallExpression(node) || ts.isNewExpression(node) || ts.isDecorator(node)) {
      const declaration = checker.getResolvedSignature(node)?.declaration;
      if (declaration !== undefined && !ts.isJSDocSignature(declaration)) {
        signatures.add(declaration);
      }
    }
    ts.forEachChild(node, visit);
  };
  for (const fileName of fileNames) {
    const file = program.getSourceFile(fileName);
    if (file !== undefined) visit(file);
  }
  return { declarations, signatures };
}

/** One public member (or overload) of an official export. */
export interface Member {
  /** `Context.run`, `rpc.opts`, `Context.run#2` (the second overload). */
  readonly path: string;
  readonly declarations: readonly ts.Declaration[];
  /** Set for one overload of an overloaded member: it must be the one a corpus call resolves to. */
  readonly overload?: ts.Declaration;
}

const isOfficial = (declaration: ts.Declaration) =>
  declaration.getSourceFile().fileName.includes("/node_modules/@restatedev/");

const isPrivate = (declaration: ts.Declaration) =>
  ts.getCombinedModifierFlags(declaration) &
  (ts.ModifierFlags.Private | ts.ModifierFlags.Protected);

function membersOfSymbol(checker: ts.TypeChecker, symbol: ts.Symbol): ts.Symbol[] {
  const members: ts.Symbol[] = [];
  if (symbol.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.Class | ts.SymbolFlags.TypeAlias)) {
    members.push(...checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(symbol)));
  }
  if (symbol.flags & ts.SymbolFlags.Namespace) members.push(...checker.getExportsOfModule(symbol));
  if (symbol.flags & (ts.SymbolFlags.Variable | ts.SymbolFlags.Class)) {
    const declaration = symbol.valueDeclaration;
    if (declaration !== undefined) {
      const type = checker.getTypeOfSymbolAtLocation(symbol, declaration);
      members.push(...checker.getPropertiesOfType(type).filter((m) => m.name !== "prototype"));
    }
  }
  return members;
}

const isFunctionLike = (declaration: ts.Declaration) =>
  ts.isMethodSignature(declaration) ||
  ts.isMethodDeclaration(declaration) ||
  ts.isFunctionDeclaration(declaration);

/**
 * Every public member of the given official exports, recursively through namespaces, with one
 * entry per overload of an overloaded function. Members the official packages inherit from the
 * standard library (`Promise.then`, `Error.message`) are not part of their surface and left out.
 */
export function officialMembers(
  checker: ts.TypeChecker,
  exports: readonly ExportedName[],
): Member[] {
  const result: Member[] = [];
  const seen = new Set<ts.Symbol>();
  const walk = (symbol: ts.Symbol, path: string) => {
    if (seen.has(symbol)) return;
    seen.add(symbol);
    const declarations = (symbol.declarations ?? []).filter(isOfficial);
    if (declarations.length === 0 || declarations.some(isPrivate)) return;
    result.push({ path, declarations });
    const overloads = declarations.filter(isFunctionLike);
    if (overloads.length > 1) {
      overloads.forEach((overload, i) => {
        result.push({ path: `${path}#${i + 1}`, declarations, overload });
      });
    }
    for (const member of membersOfSymbol(checker, symbol)) {
      // `_kind`, `__brand`: markers the type system reads, not API a program calls.
      if (member.name.startsWith("_")) continue;
      walk(resolve(checker, member), `${path}.${member.name}`);
    }
  };
  for (const exported of exports) walk(exported.symbol, exported.name);
  return result;
}

/** Whether the corpus uses `member` (and, for an overload, calls that very overload). */
export function isUsed(member: Member, usage: Usage): boolean {
  if (member.overload !== undefined) return usage.signatures.has(member.overload);
  return member.declarations.some((declaration) => usage.declarations.has(declaration));
}
