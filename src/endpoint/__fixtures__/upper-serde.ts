// SPDX-License-Identifier: MIT
// Two previewable serdes for serde-preview tests: the unit tests' and the side-by-side e2e's, whose
// definitions are served by both SDKs (so these are plain objects that fit either SDK's Serde).

/** A serde with a preview: upper-case text on the wire, a JSON string in the preview. */
export interface PreviewSerde {
  readonly contentType?: string;
  serialize(value: string): Uint8Array;
  deserialize(data: Uint8Array): string;
  readonly preview: {
    toJsonString(value: string): Promise<string>;
    fromJsonString(json: string): string;
  };
}

/** Upper-case text with a content type; wrong input (lower case, not a JSON string) fails. */
export const upper: PreviewSerde = {
  contentType: "text/x-upper",
  serialize: (value) => new TextEncoder().encode(value.toUpperCase()),
  deserialize: (data) => {
    const text = new TextDecoder().decode(data);
    if (text !== text.toUpperCase()) throw new Error("not upper case");
    return text;
  },
  preview: {
    toJsonString: async (value) => JSON.stringify(value),
    fromJsonString: (json) => {
      const value: unknown = JSON.parse(json);
      if (typeof value !== "string") throw new TypeError("expected a JSON string");
      return value;
    },
  },
};

/** The same without a content type: an encode answer falls back to `application/octet-stream`. */
export const untyped: PreviewSerde = {
  serialize: (value) => upper.serialize(value),
  deserialize: (data) => upper.deserialize(data),
  preview: upper.preview,
};
