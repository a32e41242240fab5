// Texts of the data category pages.
export const categories = {};
