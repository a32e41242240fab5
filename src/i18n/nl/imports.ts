// Texts of the imports pages.
export const imports = {};
