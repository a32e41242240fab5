// Texts of the security measure catalogue pages.
export const measures = {};
