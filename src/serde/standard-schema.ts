// SPDX-License-Identifier: MIT
// Types of the Standard Schema v1 and Standard JSON Schema v1 interfaces
// (https://standardschema.dev), written out here so that `serde.schema()` needs no runtime or
// type dependency on any schema library. They are structural, so zod, valibot, arktype and
// hand-written schemas all fit.

/**
 * A schema that follows the Standard Schema v1 interface.
 *
 * @example
 * ```ts
 * const nonEmpty: StandardSchemaV1<string> = {
 *   "~standard": {
 *     version: 1,
 *     vendor: "example",
 *     validate: (value) =>
 *       typeof value === "string" && value !== ""
 *         ? { value }
 *         : { issues: [{ message: "Expected a non-empty string" }] },
 *   },
 * };
 * ```
 * @see https://standardschema.dev
 */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly "~standard": StandardSchemaV1Props<Input, Output>;
}

/**
 * The `~standard` property of a {@link StandardSchemaV1}.
 *
 * @example
 * ```ts
 * const vendor: StandardSchemaV1Props["vendor"] = "zod";
 * ```
 */
export interface StandardSchemaV1Props<Input = unknown, Output = Input> {
  readonly version: 1;
  readonly vendor: string;
  readonly validate: (
    value: unknown,
    options?: StandardSchemaV1Options,
  ) => StandardSchemaV1Result<Output> | Promise<StandardSchemaV1Result<Output>>;
  /** Present only for type inference; libraries usually leave it undefined at run time. */
  readonly types?: StandardSchemaV1Types<Input, Output> | undefined;
}

/**
 * Options a caller may pass to `validate`.
 *
 * @example
 * ```ts
 * const options: StandardSchemaV1Options = { libraryOptions: { abortEarly: true } };
 * ```
 */
export interface StandardSchemaV1Options {
  readonly libraryOptions?: Record<string, unknown> | undefined;
}

/**
 * The input and output types a schema carries for inference.
 *
 * @example
 * ```ts
 * type Io = StandardSchemaV1Types<string, number>; // parses a string into a number
 * ```
 */
export interface StandardSchemaV1Types<Input = unknown, Output = Input> {
  readonly input: Input;
  readonly output: Output;
}

/**
 * What `validate` returns: the value, or the issues found (their presence means failure).
 *
 * @example
 * ```ts
 * const ok: StandardSchemaV1Result<number> = { value: 1 };
 * const bad: StandardSchemaV1Result<number> = { issues: [{ message: "Expected a number" }] };
 * ```
 */
export type StandardSchemaV1Result<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | { readonly issues: ReadonlyArray<StandardSchemaV1Issue> };

/**
 * One problem found by `validate`, with the path to the offending value when there is one.
 *
 * @example
 * ```ts
 * const issue: StandardSchemaV1Issue = { message: "Required", path: ["address", { key: "zip" }] };
 * ```
 */
export interface StandardSchemaV1Issue {
  readonly message: string;
  readonly path?: ReadonlyArray<PropertyKey | StandardSchemaV1PathSegment> | undefined;
}

/**
 * A path step written as an object, which some libraries use instead of a bare key.
 *
 * @example
 * ```ts
 * const step: StandardSchemaV1PathSegment = { key: 0 };
 * ```
 */
export interface StandardSchemaV1PathSegment {
  readonly key: PropertyKey;
}

/**
 * The output type of a {@link StandardSchemaV1}.
 *
 * @example
 * ```ts
 * type Name = StandardSchemaV1InferOutput<typeof nameSchema>;
 * ```
 */
export type StandardSchemaV1InferOutput<S extends StandardSchemaV1> = NonNullable<
  S["~standard"]["types"]
>["output"];

/**
 * A schema that can describe itself as JSON Schema (the Standard JSON Schema v1 interface).
 *
 * @example
 * ```ts
 * const draft = withJson["~standard"].jsonSchema.input({ target: "draft-2020-12" });
 * ```
 * @see https://standardschema.dev
 */
export interface StandardJSONSchemaV1 {
  readonly "~standard": {
    readonly version: 1;
    readonly vendor: string;
    readonly jsonSchema: StandardJSONSchemaV1Converter;
  };
}

/**
 * Produces the JSON Schema of a schema's input or output type.
 *
 * @example
 * ```ts
 * const convert: StandardJSONSchemaV1Converter = { input: () => ({}), output: () => ({}) };
 * ```
 */
export interface StandardJSONSchemaV1Converter {
  readonly input: (options: StandardJSONSchemaV1Options) => Record<string, unknown>;
  readonly output: (options: StandardJSONSchemaV1Options) => Record<string, unknown>;
}

/**
 * Options of a {@link StandardJSONSchemaV1Converter}; a library throws for a target it lacks.
 *
 * @example
 * ```ts
 * const options: StandardJSONSchemaV1Options = { target: "draft-07" };
 * ```
 */
export interface StandardJSONSchemaV1Options {
  readonly target: "draft-2020-12" | "draft-07" | "openapi-3.0" | (string & {});
  readonly libraryOptions?: Record<string, unknown> | undefined;
}
