import koffi from 'koffi';
import { type CallFlag, PiRtCallState } from '../../generated/runtime.js';

const STATUS = PiRtCallState.offsets.status / 4;
const QUEUED = PiRtCallState.offsets.queued / 4;
const FLAGS = PiRtCallState.offsets.reply_flags / 4;

/**
 * A live view of one runtime instance's PiRtCallState (status of the last trampoline call, queued
 * records, CallFlag bits), read without a native call.
 */
export class CallStateView {
  private readonly words: Int32Array;

  constructor(pointer: bigint) {
    this.words = new Int32Array(koffi.view(pointer, PiRtCallState.size));
  }

  /** PiStatus the last trampoline call returned. */
  get status(): number {
    return this.words[STATUS]!;
  }

  /** Records waiting to be drained. */
  get queued(): number {
    return this.words[QUEUED]!;
  }

  /** CallFlag bits of the last trampoline call. */
  get flags(): number {
    return this.words[FLAGS]!;
  }

  /** Whether the last call set `flag`. */
  has(flag: (typeof CallFlag)[keyof typeof CallFlag]): boolean {
    return (this.words[FLAGS]! & flag) !== 0;
  }
}
