/** Injection token for the worker's DeliverySettings. */
export const DELIVERY_SETTINGS = Symbol('DELIVERY_SETTINGS');
