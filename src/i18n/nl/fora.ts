// Texts of the FORA function pages.
export const fora = {};
