import { type Static, Type } from '@sinclair/typebox';
import { logLevelEnum, messageTypeEnum, streamControlEnum } from '../abi/enums.js';

/** Plugin ids: lowercase, digits, `_`, `-`, `.`; start with a letter or digit; at most 64 characters. */
export const PLUGIN_ID_PATTERN = '^[a-z0-9][a-z0-9_.-]{0,63}$';
export const PluginId = Type.String({ pattern: PLUGIN_ID_PATTERN, description: 'Plugin id.' });
export const InstanceId = Type.String({ minLength: 1, maxLength: 128, description: 'Instance id.' });
export const Timestamp = Type.Number({ description: 'Milliseconds since the Unix epoch.' });

/** The lowercase names of an ABI enum's members, in value order, typed as a tuple of literals. */
type LowerNames<M extends readonly { readonly name: string }[]> = {
  readonly [K in keyof M]: M[K] extends { readonly name: infer N extends string } ? Lowercase<N> : never;
};

function lowerNames<const M extends readonly { readonly name: string }[]>(members: M): LowerNames<M> {
  return members.map((m) => m.name.toLowerCase()) as unknown as LowerNames<M>;
}

/** The message severities: PiMessageType's members, lowercase, indexed by value. */
export const MESSAGE_TYPES = lowerNames(messageTypeEnum.members);
export const MessageType = Type.Union(MESSAGE_TYPES.map((m) => Type.Literal(m)));
export type MessageType = Static<typeof MessageType>;

/** Log levels: PiLogLevel's members, lowercase, in value order (index = value − PiLogLevel.ERROR). */
export const LOG_LEVELS = lowerNames(logLevelEnum.members);
export const LogLevel = Type.Union(LOG_LEVELS.map((m) => Type.Literal(m)));
export type LogLevel = Static<typeof LogLevel>;

/** A user's control of a running stream: PiStreamControl's members, lowercase, in value order. */
export const STREAM_CONTROLS = lowerNames(streamControlEnum.members);
export const StreamControl = Type.Union(STREAM_CONTROLS.map((c) => Type.Literal(c)));
export type StreamControl = Static<typeof StreamControl>;

/** Instance lifecycle states the host reports (`loading`: the library or the instance is still being created). */
export const LIFECYCLE_STATES = [
  'loading',
  'created',
  'mounted',
  'connected',
  'disconnected',
  'disposed',
  'destroyed',
  'crashed',
  'disabled',
] as const;
export const LifecycleState = Type.Union(LIFECYCLE_STATES.map((s) => Type.Literal(s)));
export type LifecycleState = Static<typeof LifecycleState>;

/** A typed error as it travels in events and frames. */
export const ErrorInfo = Type.Object({
  code: Type.String({ description: 'Stable error code (see errorCodes).' }),
  message: Type.String(),
  retryable: Type.Optional(Type.Boolean()),
  detail: Type.Optional(Type.Unknown()),
});
export type ErrorInfo = Static<typeof ErrorInfo>;
