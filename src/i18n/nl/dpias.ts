// Texts of the dpias pages.
export const dpias = {};
