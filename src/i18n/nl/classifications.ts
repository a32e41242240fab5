// Texts of the BIV classification pages.
export const classifications = {};
