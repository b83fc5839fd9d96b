// The report API's contract: the SKU-interest signals and their weights.

/** The interest signals a SKU is scored on, in the order the weights list them. */
export const SIGNALS = ['views', 'visitors', 'dwellMs', 'consults', 'appointments'] as const;
export type Signal = (typeof SIGNALS)[number];
/** A weight per signal; a site may keep its own (PUT /api/v1/admin/sites/:site, `weights`). */
export type Weights = Record<Signal, number>;
