/**
 * The two ways the uvts driver refuses a scenario. They live apart from the
 * interpreter because every part of the driver raises them, and the parts
 * must not import the interpreter that imports them.
 */

/** Raised when a scenario uses something this driver cannot execute. */
export class UnsupportedScenario extends Error {}

/** Raised when a scenario is malformed (unknown handle, missing mark...). */
export class ScenarioError extends Error {}
