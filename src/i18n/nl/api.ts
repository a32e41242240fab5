// Texts of the api pages.
export const api = {};
