/**
 * The longest identifier (event type, aggregate type, aggregate id, correlation, causation and
 * user ids), in UTF-16 code units as JavaScript counts them: the one limit the emitter, the
 * store, the CLI and the viewer's queries share, so every id that can be written can also be
 * asked for.
 */
export const MAX_ID_LENGTH = 512;
