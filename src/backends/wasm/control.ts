/**
 * The protocol between the calling thread and the team's workers, all in shared linear memory:
 * a control block of Int32 words, and one program stream per part.
 *
 * A program stream is a sequence of Int32 words: a kernel call is [kernel index, argument count,
 * arguments...], then BARRIER (wait for every part) or END. The calling thread writes every
 * stream, bumps GENERATION and runs part 0's stream itself; each worker runs its own stream and
 * decrements PENDING; the caller returns when PENDING is 0. Words that one side polls while the
 * other writes sit 128 bytes apart: on separate cache lines, and on separate pairs of lines for
 * the prefetchers that fetch lines two at a time.
 */

/** Bumped by the caller for each program; workers wait for it to change. */
export const GENERATION = 0;
/** Set to 1 by dispose(): workers return at their next wake-up. */
export const STOP = 1;
/** Set to 1 by a worker whose kernels failed; ERROR_TEXT holds the message. */
export const FAILED = 2;
/** Workers that have instantiated the module and wait for programs. */
export const READY = 3;
/** Workers asleep in Atomics.wait on GENERATION (the caller notifies only when some are). */
export const IDLE = 4;
/** Workers still running the current program. */
export const PENDING = 32;
/** 1 while the caller sleeps in Atomics.wait on PENDING. */
export const CALLER_WAITING = 33;
/** Parts that have reached the current barrier. */
export const BARRIER_COUNT = 64;
/** Bumped when the last part reaches a barrier; the others wait for it to change. */
export const BARRIER_GENERATION = 96;
/** Parts asleep in Atomics.wait on BARRIER_GENERATION. */
export const BARRIER_SLEEPERS = 97;
/** First word of the failed worker's message, one UTF-16 code unit per word. */
export const ERROR_TEXT = 128;
/** Most code units of that message. */
export const ERROR_TEXT_LENGTH = 128;
/** Words in the control block. */
export const CONTROL_INTS = ERROR_TEXT + ERROR_TEXT_LENGTH;

/** Stream op: every part waits here for the others. */
export const OP_BARRIER = -1;
/** Stream op: the program ends. */
export const OP_END = -2;

/** Int32 words per program stream; a longer program runs in several rounds. */
export const STREAM_INTS = 16384;

/**
 * Milliseconds a worker polls for the next program before it sleeps. A training step's kernel
 * calls come a few hundred microseconds apart (the tape's JavaScript runs in between); waking from
 * Atomics.wait costs some 25 microseconds, while polling holds a core that the runtime's own
 * threads (garbage collection) may want.
 */
export const IDLE_POLL_MS = 0.5;
/** Milliseconds a part polls at a barrier or for the workers' end before it sleeps. */
export const BARRIER_POLL_MS = 0.2;
