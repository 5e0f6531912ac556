import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { StreamControl } from './common.js';

/**
 * Conformance scenarios: host behaviour as data. A scenario names example plugins, runs a list of
 * steps against a host and states what it must observe. Every host (host-node in both modes,
 * host-rust) runs the same files from `packages/spec/conformance/*.json`.
 *
 * Matching rules (the same in every runner):
 * - A **pattern** matches a value like a subset: an object pattern matches an object that has every
 *   key of the pattern with a matching value (extra keys are ignored); an array pattern matches an
 *   array of the same length, element by element; a scalar matches an equal scalar.
 * - Operator patterns (an object whose only key starts with `$`): `{ "$contains": "…" }`,
 *   `{ "$startsWith": "…" }`, `{ "$endsWith": "…" }` for strings, `{ "$oneOf": [p, …] }` (any of
 *   the patterns), `{ "$allOf": [p, …] }` (every pattern), `{ "$any": true }` (any present value). No regular expressions, so every runner
 *   implements the same matcher without a regex engine.
 * - Strings in step inputs and patterns may name a plugin of the scenario as `${id:<example>}`; the
 *   runner replaces it with that plugin's id in the language under test (`rust-echo`…).
 *
 * Ordering and tolerances:
 * - Steps run one after the other; an action step returns after the host finished the call (a
 *   deferred reply included).
 * - Events of one instance are compared in emission order. `expect_events` with `order: "exact"`
 *   compares the whole filtered list; `"subsequence"` requires the items in this order with others
 *   allowed between them. Events of different instances have no defined relative order.
 * - Anything a plugin does from its own threads (streams, messages sent later, redraws after a
 *   refresh request) is awaited: `wait_for`, `expect_ui`, `expect_stream` and `expect_history`
 *   poll until they hold or `tolerances.waitMs` passes. `expect_quiet` asserts that the number of
 *   matching events does not grow during `tolerances.quietMs`.
 */

const Text = Type.String({ description: 'Literal text; `$' + '{id:<example>}` is replaced by a plugin id.' });

/** A value pattern (see the matching rules). Recursive JSON. */
export const ConformancePattern = Type.Unknown({ description: 'Subset pattern over JSON values.' });

/** A plugin the scenario uses, by example name. */
export const ConformancePlugin = Type.Object(
  {
    example: Type.String({ description: 'Example name without language prefix: echo, ui-demo, streamer…' }),
    lang: Type.Optional(
      Type.Union([Type.Literal('c'), Type.Literal('rust')], {
        description: 'Pin the language (default: the language under test).',
      }),
    ),
  },
  { additionalProperties: false },
);

/** What a host error must look like. */
export const ConformanceErrorPattern = Type.Object(
  {
    code: Type.String({ description: 'HostError code, e.g. PLUGIN_CALL_FAILED.' }),
    messageContains: Type.Optional(Type.String()),
    status: Type.Optional(Type.String({ description: "The plugin's PiStatus name (error detail.status)." })),
  },
  { additionalProperties: false },
);

/** What an action step must return: a reply (message), or an error. Absent: must succeed. */
export const ConformanceOutcome = Type.Union([
  Type.Object(
    { ok: Type.Literal(true), reply: Type.Optional(ConformancePattern) },
    { additionalProperties: false },
  ),
  Type.Object({ error: ConformanceErrorPattern }, { additionalProperties: false }),
]);

/** A widget of the instance's current frame: by id, or by its text (button, label, heading). */
export const WidgetRef = Type.Union([
  Type.Object({ id: Type.String() }, { additionalProperties: false }),
  Type.Object({ text: Type.String() }, { additionalProperties: false }),
]);

const instance = Type.String({ description: 'Alias given by a load step (`as`).' });
const expect = Type.Optional(ConformanceOutcome);
const step = <O extends string, T extends Record<string, TSchema>>(op: O, fields: T) =>
  Type.Object({ op: Type.Literal(op), ...fields }, { additionalProperties: false });

/** One step of a scenario. */
export const ConformanceStep = Type.Union([
  step('load', {
    plugin: Type.String({ description: 'Example name of a scenario plugin.' }),
    as: Type.String(),
    instanceId: Type.Optional(Type.String()),
    settings: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    expect,
  }),
  step('connect', { instance, expect }),
  step('disconnect', { instance, expect }),
  step('unload', { instance, expect }),
  step('refresh', { instance, expect }),
  step('reload', { plugin: Type.String(), expect }),
  step('message', { instance, text: Text, expect }),
  step('ui_event', {
    instance,
    widget: WidgetRef,
    event: Type.Union([
      Type.Object({ kind: Type.Literal('click') }, { additionalProperties: false }),
      Type.Object({ kind: Type.Literal('text'), value: Type.String() }, { additionalProperties: false }),
      Type.Object(
        {
          kind: Type.Literal('select'),
          option: Type.String({ description: 'Option text; the runner picks its index.' }),
        },
        { additionalProperties: false },
      ),
      Type.Object({ kind: Type.Literal('toggle'), value: Type.Boolean() }, { additionalProperties: false }),
    ]),
    expect,
  }),
  step('stream_control', {
    instance,
    stream: Type.Integer({ minimum: 0, description: "Index into the instance's streams, in start order." }),
    action: StreamControl,
    expect,
  }),
  step('set_settings', { instance, values: Type.Record(Type.String(), Type.Unknown()), expect }),
  step('wait_for', {
    event: Type.String({ description: 'Frontend event name.' }),
    instance: Type.Optional(instance),
    match: Type.Optional(ConformancePattern),
    count: Type.Optional(Type.Integer({ minimum: 1, description: 'At least this many (default 1).' })),
  }),
  step('expect_events', {
    event: Type.String(),
    instance: Type.Optional(instance),
    where: Type.Optional(ConformancePattern),
    order: Type.Union([Type.Literal('exact'), Type.Literal('subsequence')]),
    items: Type.Array(ConformancePattern, { description: 'Payload patterns.' }),
  }),
  step('expect_quiet', {
    event: Type.String(),
    instance: Type.Optional(instance),
    where: Type.Optional(ConformancePattern),
  }),
  step('expect_ui', {
    instance,
    texts: Type.Optional(
      Type.Object(
        {
          equals: Type.Optional(Type.Array(Type.String())),
          contains: Type.Optional(Type.Array(Type.String())),
        },
        { additionalProperties: false },
      ),
    ),
    widgets: Type.Optional(
      Type.Array(Type.Object({ ref: WidgetRef, match: ConformancePattern }, { additionalProperties: false })),
    ),
    revisionIsLatestEvent: Type.Optional(
      Type.Boolean({ description: "The instance's revision equals the last plugin-ui-updated revision." }),
    ),
  }),
  step('expect_history', {
    instance,
    entries: Type.Optional(Type.Array(ConformancePattern, { description: 'The whole history, in order.' })),
    length: Type.Optional(Type.Integer({ minimum: 0 })),
    includes: Type.Optional(Type.Array(ConformancePattern, { description: 'Entries present anywhere.' })),
  }),
  step('expect_stream', {
    instance,
    stream: Type.Integer({ minimum: 0 }),
    match: Type.Optional(ConformancePattern),
    chunks: Type.Optional(
      Type.Object(
        {
          count: Type.Integer({ minimum: 0 }),
          format: Type.String({ description: 'Chunk text with `{n}` for a counter that grows by one.' }),
          firstIn: Type.Array(Type.Integer(), { description: 'Allowed first counter values.' }),
          contentIsChunks: Type.Boolean({
            description: 'Stream content (and its history entry) is the chunks joined.',
          }),
        },
        { additionalProperties: false },
      ),
    ),
  }),
  step('expect_state', { instance, state: Type.String() }),
  step('expect_instances', { count: Type.Integer({ minimum: 0 }) }),
]);
export type ConformanceStep = Static<typeof ConformanceStep>;

/** One scenario file. */
export const ConformanceScenario = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    name: Type.String({ pattern: '^[a-z0-9][a-z0-9-]*$', description: 'Unique; the file is `<name>.json`.' }),
    description: Type.String({ description: 'The behaviour, one sentence.' }),
    languages: Type.Array(Type.Union([Type.Literal('c'), Type.Literal('rust')]), { minItems: 1 }),
    plugins: Type.Array(ConformancePlugin, { minItems: 1 }),
    appConfig: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    tolerances: Type.Object(
      {
        waitMs: Type.Integer({ minimum: 1, description: 'Longest wait for an awaited condition.' }),
        quietMs: Type.Integer({
          minimum: 1,
          description: 'Window in which expect_quiet allows no new events.',
        }),
      },
      { additionalProperties: false },
    ),
    steps: Type.Array(ConformanceStep, { minItems: 1 }),
  },
  { additionalProperties: false },
);
export type ConformanceScenario = Static<typeof ConformanceScenario>;

/** One result row a runner writes: scenario × language × host × mode. */
export const ConformanceResult = Type.Object({
  scenario: Type.String(),
  lang: Type.Union([Type.Literal('c'), Type.Literal('rust')]),
  host: Type.String(),
  mode: Type.String(),
  ok: Type.Boolean(),
  error: Type.Union([Type.String(), Type.Null()]),
  ms: Type.Number(),
  frames: Type.Optional(
    Type.Record(Type.String(), Type.Unknown(), {
      description:
        'Last UI tree of every instance still loaded at the end, by alias (compared across hosts).',
    }),
  ),
});
export type ConformanceResult = Static<typeof ConformanceResult>;
