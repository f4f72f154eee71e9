import { closeSync, openSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type GoogleEmulatorKind, googleEmulatorGcloud } from './google-emulator';

/** Which emulator a conformance run talks to. */
export type TargetName = 'ours' | 'google';

/** Registers one conformance test; the same signature as jest's `it`. */
export type ConformanceIt = (name: string, test: () => Promise<void>, timeoutMs?: number) => void;

/**
 * Tests that run on our emulator only, by name, each with the reason: a documented difference between
 * Google's emulator and production (with its source), or a facility only our emulator has.
 */
export type NotOnGoogle = Readonly<Record<string, string>>;

const LABELS: Record<TargetName, string> = { ours: 'our emulator', google: "Google's emulator" };
const PRODUCTS: Record<GoogleEmulatorKind, string> = { pubsub: 'Pub/Sub', firestore: 'Firestore' };

/**
 * Whether this jest run has said already that Google's emulator is absent: a marker file per jest run
 * (the workers' parent process) and product, so the notice appears once, not once per test file.
 */
function firstAbsenceNotice(kind: GoogleEmulatorKind): boolean {
  try {
    closeSync(openSync(path.join(os.tmpdir(), `${kind}-conformance-no-google-${process.ppid}`), 'wx'));
    return true;
  } catch {
    return false;
  }
}

/**
 * Declares a conformance suite that runs against our emulator and, where gcloud's component is installed,
 * Google's (`describe` titles end in `[ours]` and `[google]`). `useFixture` registers the target's
 * emulator (beforeAll/afterAll) inside that target's `describe`. Each run prints its count of passed tests
 * and the tests it leaves out with their reasons; an exclusion that names no test fails the suite.
 */
function describeOnTargets<Fixture>(
  kind: GoogleEmulatorKind,
  title: string,
  useFixture: (target: TargetName) => Fixture,
  body: (fixture: Fixture, it: ConformanceIt) => void,
  notOnGoogle: NotOnGoogle = {},
): void {
  const product = PRODUCTS[kind];
  const googleInstalled = googleEmulatorGcloud(kind) !== undefined;
  if (!googleInstalled && firstAbsenceNotice(kind)) {
    console.info(
      `${product} conformance: Google's emulator is not installed (gcloud with its ${kind} emulator component), so the suites run against our emulator only.`,
    );
  }
  const targets: TargetName[] = googleInstalled ? ['ours', 'google'] : ['ours'];
  for (const target of targets) {
    describe(`${title} [${target}]`, () => {
      const fixture = useFixture(target);
      const excluded = target === 'google' ? { ...notOnGoogle } : {};
      const registered = new Set<string>();
      let passed = 0;
      const conformanceIt: ConformanceIt = (name, test, timeoutMs) => {
        registered.add(name);
        if (name in excluded) return;
        it(
          name,
          async () => {
            await test();
            passed += 1;
          },
          timeoutMs,
        );
      };
      body(fixture, conformanceIt);
      const stale = Object.keys(excluded).filter((name) => !registered.has(name));
      if (stale.length > 0) throw new Error(`Exclusions name no test of "${title}": ${stale.join(', ')}`);
      afterAll(() => {
        const run = registered.size - Object.keys(excluded).length;
        const reasons = Object.entries(excluded).map(([name, reason]) => `\n  not run: "${name}": ${reason}`);
        console.info(
          `${product} conformance "${title}" on ${LABELS[target]}: ${passed} of ${run} passed${reasons.join('')}`,
        );
      });
    });
  }
}

/** Options of a suite declared with {@link conformanceSuites}' `describeConformance`. */
export interface ConformanceOptions<OurOptions> {
  /** Options for our emulator. */
  readonly ours?: OurOptions;
  /** Tests that run on our emulator only, by name, each with its reason. */
  readonly notOnGoogle?: NotOnGoogle;
}

/**
 * The `describeConformance` of one product: {@link describeOnTargets} with the product's fixture, which
 * `useFixture` registers for our emulator (with the suite's options) or Google's.
 */
export function conformanceSuites<Fixture, OurOptions>(
  kind: GoogleEmulatorKind,
  useFixture: (ours: OurOptions | undefined, target: TargetName) => Fixture,
): (
  title: string,
  body: (fixture: Fixture, it: ConformanceIt) => void,
  options?: ConformanceOptions<OurOptions>,
) => void {
  return (title, body, options = {}) =>
    describeOnTargets(kind, title, (target) => useFixture(options.ours, target), body, options.notOnGoogle);
}
