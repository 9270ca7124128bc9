/** The clock port: every use case asks it for "now", so tests can set any date. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
