// SPDX-License-Identifier: MIT
// Command-line options and the iteration counts of each mode (full and `--quick`).

export const MODES = ["size", "cold", "direct", "heap", "e2e"] as const;
export type Mode = (typeof MODES)[number];

/**
 * Where the cold-start mode starts endpoints (`node-npm`, `deno-npm`: Node or Deno importing each
 * SDK's npm package module by module, see node-package.ts and deno-package.ts; `lambda`: the
 * Lambda handler in Node).
 */
export const COLD_RUNTIMES = [
  "node",
  "node-npm",
  "bun",
  "deno",
  "deno-npm",
  "workerd",
  "lambda",
] as const;
export type ColdRuntimeName = (typeof COLD_RUNTIMES)[number];

/** Requests per concurrency level, as `[concurrency, requests]` pairs. */
export type Levels = readonly (readonly [concurrency: number, requests: number])[];

export interface BenchConfig {
  readonly isQuick: boolean;
  readonly modes: readonly Mode[];
  /** Repetitions of every measured cell; the table shows their median and min–max. */
  readonly reps: number;
  /** A cell stops issuing requests after this long (it is then flagged as time-capped). */
  readonly cellMaxMs: number;
  readonly direct: {
    readonly greeter: Levels;
    readonly replay10: Levels;
    readonly replay1000: Levels;
    /** Warm-up invocations per case and target at concurrency 32, before the first repetition. */
    readonly warmup: {
      readonly greeter: number;
      readonly replay10: number;
      readonly replay1000: number;
    };
  };
  readonly e2e: {
    readonly greeter: Levels;
    readonly steps: Levels;
    readonly counter: Levels;
    readonly fanOut: Levels;
    readonly sleep: Levels;
    /** Warm-up requests per service and target at concurrency 16. */
    readonly warmup: number;
  };
  readonly cold: {
    /** Cold starts per target and runtime. */
    readonly runs: number;
    /** The runtimes measured, in this order. */
    readonly runtimes: readonly ColdRuntimeName[];
  };
  readonly heap: {
    readonly warmup: number;
    readonly invocations: number;
    readonly concurrency: number;
  };
}

const FULL: Omit<BenchConfig, "isQuick" | "modes" | "reps"> = {
  cellMaxMs: 30_000,
  direct: {
    greeter: [
      [1, 3_000],
      [32, 20_000],
    ],
    replay10: [
      [1, 2_000],
      [32, 10_000],
    ],
    replay1000: [
      [1, 100],
      [32, 300],
    ],
    warmup: { greeter: 3_000, replay10: 2_000, replay1000: 100 },
  },
  e2e: {
    greeter: [
      [1, 500],
      [16, 3_000],
      [64, 6_000],
    ],
    steps: [
      [1, 100],
      [16, 500],
      [64, 1_000],
    ],
    counter: [
      [1, 500],
      [16, 3_000],
      [64, 6_000],
    ],
    fanOut: [
      [1, 150],
      [16, 800],
      [64, 1_600],
    ],
    sleep: [
      [1, 200],
      [16, 1_500],
      [64, 3_000],
    ],
    warmup: 300,
  },
  cold: { runs: 7, runtimes: COLD_RUNTIMES },
  heap: { warmup: 1_000, invocations: 10_000, concurrency: 32 },
};

const QUICK: Omit<BenchConfig, "isQuick" | "modes" | "reps"> = {
  cellMaxMs: 10_000,
  direct: {
    greeter: [
      [1, 300],
      [32, 2_000],
    ],
    replay10: [
      [1, 200],
      [32, 1_000],
    ],
    replay1000: [
      [1, 10],
      [32, 32],
    ],
    warmup: { greeter: 300, replay10: 200, replay1000: 10 },
  },
  e2e: {
    greeter: [
      [1, 50],
      [16, 300],
      [64, 640],
    ],
    steps: [
      [1, 10],
      [16, 64],
      [64, 128],
    ],
    counter: [
      [1, 50],
      [16, 300],
      [64, 640],
    ],
    fanOut: [
      [1, 20],
      [16, 100],
      [64, 256],
    ],
    sleep: [
      [1, 20],
      [16, 160],
      [64, 320],
    ],
    warmup: 50,
  },
  cold: { runs: 5, runtimes: COLD_RUNTIMES },
  heap: { warmup: 200, invocations: 2_000, concurrency: 32 },
};

const USAGE = `Usage: npm run bench -- [--quick] [--only ${MODES.join("|")}[,…]] [--reps N]
                     [--runtimes ${COLD_RUNTIMES.join("|")}[,…]] [--cold-runs N]
  --quick      fewer iterations: a smoke check of the harness, not a measurement
  --only       run only these modes (comma-separated or repeated); default: all
  --reps       repetitions per cell (default 3, minimum 1)
  --runtimes   cold mode: only these runtimes (comma-separated or repeated); default: all
  --cold-runs  cold mode: cold starts per target and runtime (default 7, --quick 5)`;

/** The names in a comma-separated `value` that are in `known`; throws on any other. */
function pickNames<T extends string>(value: string, known: readonly T[], what: string): T[] {
  return value.split(",").map((name) => {
    const found = known.find((k) => k === name.trim());
    if (found === undefined) throw new Error(`unknown ${what} "${name}"\n${USAGE}`);
    return found;
  });
}

function positiveInteger(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} must be ≥ 1\n${USAGE}`);
  return n;
}

/** Parses `process.argv.slice(2)`; throws with the usage text on a bad option. */
export function parseArgs(args: readonly string[]): BenchConfig {
  let isQuick = false;
  let reps = 3;
  let coldRuns: number | undefined;
  const only: Mode[] = [];
  const runtimes: ColdRuntimeName[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    const [flag, inline] = arg.includes("=") ? arg.split("=", 2) : [arg, undefined];
    const value = (): string => {
      const v = inline ?? args[++i];
      if (v === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
      return v;
    };
    if (flag === "--quick") isQuick = true;
    else if (flag === "--only") {
      for (const mode of pickNames(value(), MODES, "mode"))
        if (!only.includes(mode)) only.push(mode);
    } else if (flag === "--runtimes") {
      for (const name of pickNames(value(), COLD_RUNTIMES, "runtime")) {
        if (!runtimes.includes(name)) runtimes.push(name);
      }
    } else if (flag === "--reps") reps = positiveInteger(value(), flag);
    else if (flag === "--cold-runs") coldRuns = positiveInteger(value(), flag);
    else if (flag === "--help" || flag === "-h") {
      throw new Error(USAGE);
    } else throw new Error(`unknown option "${arg}"\n${USAGE}`);
  }
  const modes = MODES.filter((m) => only.length === 0 || only.includes(m));
  const base = isQuick ? QUICK : FULL;
  const cold = {
    runs: coldRuns ?? base.cold.runs,
    runtimes: COLD_RUNTIMES.filter((r) => runtimes.length === 0 || runtimes.includes(r)),
  };
  return { ...base, cold, isQuick, modes, reps };
}
