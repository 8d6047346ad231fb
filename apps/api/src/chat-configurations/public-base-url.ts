/** Injection token: the API's public base URL (PUBLIC_BASE_URL), the base of each configuration's callback URL. */
export const PUBLIC_BASE_URL = Symbol('PUBLIC_BASE_URL');
