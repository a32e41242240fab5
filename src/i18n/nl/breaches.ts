// Texts of the breaches pages.
export const breaches = {};
